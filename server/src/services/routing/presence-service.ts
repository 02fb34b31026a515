import { ErrorCode, type Presence, SetPresenceSchema } from '../../../../protocol/src';
import { logPresence } from './presence-log';
import type { RoutingConfig } from '../../config/routing';
import { AppError, parseOrThrow } from '../../errors';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { presenceOf } from './assignment-store';
import type { AgentIdentity } from '../auth-service';
import type { Clock } from '../clock';
import type { ConversationRow } from '../mappers';
import type { RoutingService } from './routing-service';
import type { Scheduler } from '../scheduler';

/** How many console tabs an agent has open, across every server node (the socket adapter knows). */
export interface TabCounter {
  count(agentId: string): Promise<number>;
}

const ago = (now: Date, seconds: number): string => new Date(now.getTime() - seconds * 1000).toISOString();

/**
 * Agents' presence: set in the console, online when a tab connects (unless the
 * agent chose away or offline), away once every tab has been gone a while,
 * then offline; an offline agent's conversations return to the queue after a
 * grace period, and a team nobody has been online in hands its queue to its
 * fallback team. Times live in the store, so any node's sweep can act on them.
 */
export class PresenceService {
  private sweeping: Promise<void> | null = null;
  // tabs' connects and disconnects under way, so shutdown waits for them
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly config: RoutingConfig,
    private readonly routing: RoutingService,
    private readonly clock: Clock,
    private readonly tabs: TabCounter,
    private readonly log?: Logger,
  ) {}

  /** Runs `sweep` every `presence.sweepSeconds`; returns the stop. */
  start(scheduler: Scheduler): () => void {
    return scheduler.every(this.config.presence.sweepSeconds * 1000, () => {
      this.sweep().catch((error: unknown) => this.log?.error({ err: error }, 'presence sweep failed'));
    });
  }

  private async change(agentId: string, presence: Presence, manual: boolean, onlyFrom?: Presence): Promise<boolean> {
    const now = this.clock.now().toISOString();
    let q = this.db.updateTable('agents').set({ presence, presence_manual: manual ? 1 : 0, presence_changed_at: now }).where('id', '=', agentId);
    if (onlyFrom) q = q.where('presence', '=', onlyFrom);
    const result = await q.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await logPresence(this.db, agentId, presence, now);
    return true;
  }

  private async becameOnline(agentId: string): Promise<void> {
    await this.routing.agentsChanged([agentId]);
    await this.routing.drainForAgent(agentId);
  }

  // runs a tab's connect or disconnect unless shutting down, and remembers it until done
  private track(work: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.resolve();
    const running = work();
    this.pending.add(running);
    const forget = () => void this.pending.delete(running);
    running.then(forget, forget);
    return running;
  }

  /** A console tab connected: the agent is back, and online unless they chose otherwise. */
  connected(agentId: string): Promise<void> {
    return this.track(() => this.tabConnected(agentId));
  }

  /** A console tab went away: when it was the last one, the away countdown starts. */
  disconnected(agentId: string): Promise<void> {
    return this.track(() => this.tabDisconnected(agentId));
  }

  private async tabConnected(agentId: string): Promise<void> {
    const now = this.clock.now().toISOString();
    const row = await this.db.selectFrom('agents').select(['presence', 'presence_manual']).where('id', '=', agentId).executeTakeFirst();
    if (!row) return;
    await this.db.updateTable('agents').set({ tabs_gone_at: null, last_seen_at: now }).where('id', '=', agentId).execute();
    if (presenceOf(row.presence) !== 'online' && !row.presence_manual) {
      await this.change(agentId, 'online', false);
      await this.becameOnline(agentId);
    }
  }

  private async tabDisconnected(agentId: string): Promise<void> {
    if ((await this.tabs.count(agentId)) > 0) return;
    const now = this.clock.now().toISOString();
    await this.db.updateTable('agents').set({ tabs_gone_at: now, last_seen_at: now }).where('id', '=', agentId).where('tabs_gone_at', 'is', null).execute();
  }

  /** The presence switch of the console. */
  async set(actor: AgentIdentity, payload: unknown): Promise<Presence> {
    const { status } = parseOrThrow(SetPresenceSchema, payload);
    if (!(await this.change(actor.id, status, status !== 'online'))) throw new AppError(ErrorCode.NotFound, 'no such agent');
    if (status === 'online') await this.becameOnline(actor.id);
    else await this.routing.agentsChanged([actor.id]);
    return status;
  }

  /** One pass of every timed rule; safe to run on every node, and again. */
  sweep(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.sweeping ??= (async () => {
      try {
        await this.fallAway();
        await this.returnOfflineConversations();
        await this.handOverIdleTeams();
        await this.routing.drainAll();
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  /** Resolves when no sweep and no tab's connect or disconnect is running (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.sweeping || this.pending.size > 0) {
      await Promise.allSettled([...(this.sweeping ? [this.sweeping] : []), ...this.pending]);
    }
  }

  /** Shutdown: starts nothing new, and resolves once what runs is done. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private async fallAway(): Promise<void> {
    const now = this.clock.now();
    const { awayAfterSeconds, offlineAfterSeconds } = this.config.presence;
    const online = await this.db.selectFrom('agents').select(['id', 'tabs_gone_at']).where('presence', '=', 'online').execute();
    for (const agent of online) {
      const tabs = await this.tabs.count(agent.id);
      if (tabs > 0 && agent.tabs_gone_at) {
        await this.db.updateTable('agents').set({ tabs_gone_at: null }).where('id', '=', agent.id).execute();
      } else if (tabs === 0 && !agent.tabs_gone_at) {
        // a node died with the agent's tabs: start the countdown now
        await this.db.updateTable('agents').set({ tabs_gone_at: now.toISOString() }).where('id', '=', agent.id).execute();
      } else if (tabs === 0 && agent.tabs_gone_at && agent.tabs_gone_at <= ago(now, awayAfterSeconds)) {
        if (await this.change(agent.id, 'away', false, 'online')) await this.routing.agentsChanged([agent.id]);
      }
    }
    const stale = await this.db
      .selectFrom('agents')
      .select('id')
      .where('presence', '=', 'away')
      .where('tabs_gone_at', '<=', ago(now, offlineAfterSeconds))
      .execute();
    for (const agent of stale) {
      if ((await this.tabs.count(agent.id)) > 0) continue;
      if (await this.change(agent.id, 'offline', false, 'away')) await this.routing.agentsChanged([agent.id]);
    }
  }

  private async returnOfflineConversations(): Promise<void> {
    const cut = ago(this.clock.now(), this.config.presence.offlineGraceSeconds);
    // the few agents offline past the grace first, then only their open conversations, keyed by
    // assignee: the sweep never walks every open conversation of a large store
    const gone = await this.db
      .selectFrom('agents')
      .select(['id', 'name'])
      .where('presence', '=', 'offline')
      .where('presence_changed_at', '<=', cut)
      .execute();
    if (gone.length === 0) return;
    const names = new Map(gone.map((a) => [a.id, a.name]));
    const held = await this.db
      .selectFrom('conversations')
      .select(['id', 'assignee_id', 'team_id'])
      .where('assignee_id', 'in', [...names.keys()])
      .where('status', '=', 'open')
      .execute();
    const rows = held.map((r) => ({ ...r, name: names.get(r.assignee_id as string) ?? '' }));
    const agents = new Set<string>();
    const teams = new Set<string>();
    const back: ConversationRow[] = [];
    for (const r of rows) {
      const moved = await this.routing.store.requeue(
        [r.id],
        {
          kind: 'unassigned',
          actorId: null,
          note: `${r.name} went offline`,
          reason: (row) => `${row.routing_reason ?? ''}; back in the queue: ${r.name} went offline`.replace(/^; /, ''),
        },
        { assignee: r.assignee_id },
      );
      for (const row of moved) {
        agents.add(r.assignee_id as string);
        if (row.team_id) teams.add(row.team_id);
        back.push(row);
        await this.routing.afterCommit('returning a conversation to the queue', () => this.routing.announce(row));
      }
    }
    await this.routing.afterCommit(
      'returning conversations to the queue',
      () => this.routing.queue.publishChanged(back),
      () => this.routing.agentsChanged([...agents]),
      ...[...teams].map((team) => () => this.routing.drain(team)),
    );
  }

  private async handOverIdleTeams(): Promise<void> {
    const now = this.clock.now();
    for (const [id, team] of Object.entries(this.config.teams)) {
      const online = (await this.routing.store.members(id)).filter((m) => m.online).length;
      const row = await this.db.selectFrom('teams').select('nobody_online_since').where('id', '=', id).executeTakeFirst();
      if (!row) continue;
      if (online > 0) {
        if (row.nobody_online_since) await this.db.updateTable('teams').set({ nobody_online_since: null }).where('id', '=', id).execute();
        continue;
      }
      if (!row.nobody_online_since) {
        await this.db.updateTable('teams').set({ nobody_online_since: now.toISOString() }).where('id', '=', id).execute();
        continue;
      }
      if (!team.fallback || row.nobody_online_since > ago(now, team.fallbackAfterSeconds)) continue;
      const fallback = this.config.teams[team.fallback];
      const waiting = await this.routing.queue.entries(id);
      const minutes = Math.round(team.fallbackAfterSeconds / 60);
      const moved = await this.routing.store.requeue(
        waiting.map((w) => w.id),
        {
          teamId: team.fallback,
          kind: 'fallback',
          actorId: null,
          note: `nobody online in ${team.name}`,
          reason: (r) =>
            `${r.routing_reason ?? ''}; handed to ${fallback?.name ?? team.fallback}: nobody online in ${team.name} for ${minutes} min`.replace(/^; /, ''),
        },
        // only those still waiting there: one claimed or moved since the read stays put
        { waitingIn: id },
      );
      const to = team.fallback;
      await this.routing.afterCommit(
        'handing a queue to the fallback team',
        ...moved.map((r) => () => this.routing.announce(r)),
        () => this.routing.queue.publishChanged(moved),
        () => (moved.length > 0 ? this.routing.drain(to) : undefined),
      );
    }
  }
}
