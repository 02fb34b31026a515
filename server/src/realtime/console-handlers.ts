import { agentReplies } from '../services/conversations/agent-reply';
import type { Socket } from 'socket.io';
import * as v from 'valibot';
import {
  type AgentClientEvents,
  type AgentServerEvents,
  AgentTypingSchema,
  type ConversationDetail,
  type SyncResult,
  SearchQuerySchema,
  type VisitorClientEvents,
  type VisitorServerEvents,
  VisitorTypingSchema,
} from '../../../protocol/src/index';
import { parseOrThrow } from '../errors';
import type { Logger } from '../logger';
import type { AgentIdentity } from '../services/auth-service';
import type { ConsoleServices } from '../services/conversations/index';
import { TypingThrottle } from '../services/conversations/typing';
import type { ConversationService } from '../services/conversations/conversation-service';
import type { SiteDirectory } from '../services/site-directory';
import type { VisitorIdentity } from '../services/visitor-service';
import { handle } from './handler';
import type { FollowUpService } from '../services/follow-ups/follow-up-service';
import { clientAddress } from '../http/client-address';
import type { RateLimits } from '../services/limits/rate-limits';
import type { RealtimeRouting } from './routing-handlers';

type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, Record<string, never>, AgentIdentity>;
type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorIdentity>;

/** What the console's socket handlers call. */
export interface ConsoleHandlerDeps {
  log: Logger;
  console: ConsoleServices;
  conversations: ConversationService;
  sites: SiteDirectory;
  routing?: RealtimeRouting;
  /** Follow-ups: writing to a closed conversation reopens it for the writer. */
  followUps?: FollowUpService;
  /** Abuse limits: agents' messages; visitors' typing and page views. */
  limits?: RateLimits;
  /** Room names of the realtime layer. */
  rooms: { agentConversation(id: string): string; visitorConversation(id: string): string };
}

const typingThrottle = new TypingThrottle();

/** The console's events on an agent's socket: inbox, search, conversation pages, notes, labels, profile, typing, read marks. */
export function attachAgentConsoleHandlers(socket: AgentSocket, deps: ConsoleHandlerDeps): void {
  const agent = socket.data;
  const { log, conversations, rooms } = deps;
  const c = deps.console;
  const reply = agentReplies(deps);

  socket.on('inbox:list', handle(log, 'inbox:list', (query) => c.inbox.list(query, agent.id)));
  socket.on('inbox:counts', handle(log, 'inbox:counts', async () => ({ counts: await c.inbox.counts(agent.id) })));
  socket.on(
    'inbox:search',
    handle(log, 'inbox:search', async (payload) => {
      const query = parseOrThrow(SearchQuerySchema, payload);
      return { conversations: await c.inbox.summaries(agent.id, await c.search.search(query.q, query.limit)) };
    }),
  );
  // opening a conversation joins its agents' room, for its live messages, notes and events
  const opening = (event: 'conversation:open' | 'conversation:latest', open: (payload: unknown) => Promise<SyncResult<ConversationDetail>>) =>
    socket.on(
      event,
      handle(log, event, async (payload) => {
        const result = await open(payload);
        await socket.join(rooms.agentConversation(result.conversation.id));
        return result;
      }),
    );
  opening('conversation:open', (p) => c.details.sync(p));
  opening('conversation:latest', (p) => c.details.latest(p));
  socket.on('conversation:history', handle(log, 'conversation:history', (payload) => c.details.history(payload)));
  socket.on(
    'message:send',
    handle(log, 'message:send', async (payload) => ({ message: await reply(agent, payload) })),
  );
  socket.on('note:add', handle(log, 'note:add', async (payload) => ({ note: await c.notes.add(agent, payload) })));
  socket.on('labels:list', handle(log, 'labels:list', async () => ({ labels: await c.labels.list() })));
  socket.on(
    'conversation:labels',
    handle(log, 'conversation:labels', async (payload) => {
      const edit = await c.labels.editConversation(agent, payload);
      if (edit.added.length + edit.removed.length > 0) await conversations.announce(edit.row, false);
      return { labels: edit.labels };
    }),
  );
  socket.on(
    'contact:labels',
    handle(log, 'contact:labels', async (payload) => {
      const labels = await c.labels.editContact(payload);
      const id = (payload as { id: string }).id;
      c.notifier.contactUpdated(id, await c.profiles.profile(id, null));
      return { labels };
    }),
  );
  socket.on(
    'contact:attributes',
    handle(log, 'contact:attributes', async (payload) => {
      const id = await c.profiles.setAttributes(payload);
      const profile = await c.profiles.profile(id, null);
      c.notifier.contactUpdated(id, profile);
      return { profile };
    }),
  );
  socket.on('typing', (payload: unknown) => {
    const parsed = v.safeParse(AgentTypingSchema, payload);
    if (!parsed.success) return;
    const { conversationId, typing } = parsed.output;
    if (!typingThrottle.allow(`${socket.id}:${conversationId}`, typing)) return;
    c.notifier.typing(
      { conversationId, who: 'agent', agentId: agent.id, name: agent.name, typing, preview: null },
      { conversationId, name: agent.name, typing },
    );
  });
  socket.on('conversation:read', handle(log, 'conversation:read', (payload) => c.reads.agentRead(agent.id, payload)));
  socket.on('disconnect', () => typingThrottle.forget(`${socket.id}:`));
}

/** The console-facing events of a visitor's socket: typing, read marks and pages seen. */
export function attachVisitorConsoleHandlers(socket: VisitorSocket, deps: ConsoleHandlerDeps): void {
  const { contactId, siteId, name } = socket.data;
  const { log, rooms, limits } = deps;
  const c = deps.console;
  const who = { siteId, address: clientAddress(socket.request), contactId };
  socket.on('typing', (payload: unknown) => {
    const parsed = v.safeParse(VisitorTypingSchema, payload);
    if (!parsed.success) return;
    const { conversationId, typing, preview } = parsed.output;
    // joining proved the conversation is the visitor's own
    if (!socket.rooms.has(rooms.visitorConversation(conversationId))) return;
    const relay = (allowed: boolean) => {
      // past the limit the event is dropped: typing has no ack to refuse it with
      if (!allowed || !typingThrottle.allow(`${socket.id}:${conversationId}`, typing)) return;
      const site = deps.sites.get(siteId);
      const showPreview = typing && site?.typingPreview === true;
      c.notifier.typing({ conversationId, who: 'visitor', agentId: null, name, typing, preview: showPreview ? preview : null }, null);
    };
    if (!limits) return relay(true);
    limits.allows('typing', who).then(relay, (error: unknown) => log.error({ err: error }, 'typing limit failed'));
  });
  socket.on('conversation:read', handle(log, 'conversation:read', (payload) => c.reads.visitorRead(contactId, payload)));
  socket.on(
    'page:view',
    handle(log, 'page:view', async (payload) => {
      await limits?.visitor('pageViews', who);
      return { recorded: await c.profiles.recordPageView(contactId, payload) };
    }),
  );
  socket.on('disconnect', () => typingThrottle.forget(`${socket.id}:`));
}
