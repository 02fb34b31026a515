import type { Socket } from 'socket.io';
import type { AgentClientEvents, AgentServerEvents, VisitorClientEvents, VisitorServerEvents } from '../../../protocol/src/index';
import type { Logger } from '../logger';
import type { AgentIdentity } from '../services/auth-service';
import type { FollowUpService } from '../services/follow-ups/follow-up-service';
import type { VisitorIdentity } from '../services/visitor-service';
import { handle } from './handler';

type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, Record<string, never>, AgentIdentity>;
type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorIdentity>;

/** The agent's follow-up events: when to write, and follow-ups scheduled for the contact's daytime. */
export function attachAgentFollowUpHandlers(socket: AgentSocket, log: Logger, followUps: FollowUpService): void {
  const agent = socket.data;
  socket.on('followup:timing', handle(log, 'followup:timing', async (p) => ({ timing: await followUps.timing(p) })));
  socket.on('followup:schedule', handle(log, 'followup:schedule', async (p) => ({ scheduled: await followUps.schedule(agent, p) })));
  socket.on('followup:list', handle(log, 'followup:list', async (p) => ({ scheduled: await followUps.list(p) })));
  socket.on('followup:edit', handle(log, 'followup:edit', async (p) => ({ scheduled: await followUps.edit(agent, p) })));
  socket.on('followup:cancel', handle(log, 'followup:cancel', async (p) => ({ scheduled: await followUps.cancel(agent, p) })));
}

/** The visitor's choice about follow-ups, from the widget's menu. */
export function attachVisitorFollowUpHandlers(socket: VisitorSocket, log: Logger, followUps: FollowUpService): void {
  const { contactId } = socket.data;
  const userAgent = socket.handshake.headers['user-agent'] ?? null;
  socket.on(
    'followups:set',
    handle(log, 'followups:set', async (p) => ({ optedOut: await followUps.setByVisitor(contactId, p, userAgent ? `user agent: ${userAgent}` : null) })),
  );
}
