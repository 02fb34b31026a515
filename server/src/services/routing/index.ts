import type { Config } from '../../config/schema';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { AgentDirectory } from './agent-directory';
import { AssignmentService } from './assignment-service';
import type { Clock } from '../clock';
import type { ConversationService } from '../conversations/conversation-service';
import type { Notifier } from '../notifier';
import { PresenceService, type TabCounter } from './presence-service';
import { type RoutingNotifier, RoutingService } from './routing-service';
import type { Scheduler } from '../scheduler';

/** The routing services, built and hooked in by {@link createRouting}. */
export interface Routing {
  routing: RoutingService;
  presence: PresenceService;
  assignments: AssignmentService;
  directory: AgentDirectory;
  /** Ties routing to the sockets and starts the presence sweep. */
  connect(realtime: { routingNotifier: RoutingNotifier; tabs: TabCounter }): void;
  /** Stops the sweep, and waits for the one running and for tabs' connects and disconnects. */
  stop(): Promise<void>;
}

/**
 * Builds routing, copies the config's teams into the store and listens for new
 * conversations. Call it before other conversation listeners (auto-replies),
 * so they see each new conversation's team and queue.
 */
export async function createRouting(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
  conversations: ConversationService;
  notifier: Notifier;
  scheduler: Scheduler;
}): Promise<Routing> {
  const { db, config, clock, log, conversations } = deps;
  let notify: RoutingNotifier = { visitorConversationChanged() {}, agentChanged() {} };
  let tabs: TabCounter = { count: async () => 0 };
  const routing = new RoutingService(
    db,
    config.routing,
    conversations,
    { visitorConversationChanged: (v) => notify.visitorConversationChanged(v), agentChanged: (a) => notify.agentChanged(a) },
    clock,
    log,
  );
  const directory = new AgentDirectory(db, config.routing, routing, clock, deps.notifier);
  await directory.syncTeams();
  const presence = new PresenceService(db, config.routing, routing, clock, { count: (id) => tabs.count(id) }, log);
  const assignments = new AssignmentService(db, routing, clock);
  conversations.listen(routing.listener());
  let stopSweep: (() => void) | null = null;
  return {
    routing,
    presence,
    assignments,
    directory,
    connect(realtime) {
      notify = realtime.routingNotifier;
      tabs = realtime.tabs;
      stopSweep = presence.start(deps.scheduler);
    },
    async stop() {
      stopSweep?.();
      await presence.close();
    },
  };
}
