import type { Socket } from 'socket.io';
import type { AgentClientEvents, AgentServerEvents } from '../../../protocol/src/index';
import type { Logger } from '../logger';
import type { AgentDirectory } from '../services/routing/agent-directory';
import type { AssignmentService } from '../services/routing/assignment-service';
import type { AgentIdentity } from '../services/auth-service';
import type { PresenceService } from '../services/routing/presence-service';
import type { RoutingService } from '../services/routing/routing-service';
import { handle } from './handler';

/** The routing services the socket layer talks to. */
export interface RealtimeRouting {
  routing: RoutingService;
  presence: PresenceService;
  assignments: AssignmentService;
  directory: AgentDirectory;
}

type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, Record<string, never>, AgentIdentity>;

/** Room of one agent's tabs, on every node: how presence counts them. */
export const agentRoom = (agentId: string): string => `ag:${agentId}`;

/** The agent events of routing: presence, close/reopen, claim, assign, transfer, the agents list. */
export function attachRoutingHandlers(socket: AgentSocket, deps: RealtimeRouting, log: Logger): void {
  const agent = socket.data;
  const { presence, assignments, directory } = deps;
  void socket.join(agentRoom(agent.id));
  presence.connected(agent.id).catch((error: unknown) => log.error({ err: error }, 'presence on connect failed'));
  socket.on('disconnect', () => {
    presence.disconnected(agent.id).catch((error: unknown) => log.error({ err: error }, 'presence on disconnect failed'));
  });

  socket.on('presence:set', handle(log, 'presence:set', async (payload) => ({ presence: await presence.set(agent, payload) })));
  socket.on('conversation:close', handle(log, 'conversation:close', async (p) => ({ conversation: await assignments.close(agent, p) })));
  socket.on('conversation:reopen', handle(log, 'conversation:reopen', async (p) => ({ conversation: await assignments.reopen(agent, p) })));
  socket.on('conversation:claim', handle(log, 'conversation:claim', async (p) => ({ conversation: await assignments.claim(agent, p) })));
  socket.on('conversation:assign', handle(log, 'conversation:assign', async (p) => ({ conversation: await assignments.assign(agent, p) })));
  socket.on('conversation:transfer', handle(log, 'conversation:transfer', async (p) => ({ conversation: await assignments.transfer(agent, p) })));
  socket.on('agents:list', handle(log, 'agents:list', async () => ({ agents: await directory.list(), teams: await directory.teams() })));
}
