import type { Server as HttpServer } from 'node:http';
import { type Namespace, Server, type ServerOptions, type Socket } from 'socket.io';
import {
  type AgentClientEvents,
  type AgentServerEvents,
  ErrorCode,
  Limits,
  Namespaces,
  SESSION_COOKIE,
  RateConversationSchema,
  SendMessageSchema,
  type VisitorClientEvents,
  type VisitorHandshake,
  type VisitorServerEvents,
} from '../../../protocol/src/index';
import { AppError, parseOrThrow } from '../errors';
import { clientAddress } from '../http/client-address';
import { readCookie, selfOrigin } from '../http/cookies';
import type { Logger } from '../logger';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { ConversationService } from '../services/conversations/conversation-service';
import type { Notifier } from '../services/notifier';
import type { RateLimits } from '../services/limits/rate-limits';
import type { RatingService } from '../services/rating-service';
import type { TabCounter } from '../services/routing/presence-service';
import type { RoutingNotifier } from '../services/routing/routing-service';
import type { SiteDirectory } from '../services/site-directory';
import type { VisitorIdentity, VisitorService } from '../services/visitor-service';
import type { ConsoleServices } from '../services/conversations/index';
import { attachAgentConsoleHandlers, attachVisitorConsoleHandlers, type ConsoleHandlerDeps } from './console-handlers';
import { handle } from './handler';
import { type ObserveEvent, timeAcks } from './event-timing';
import type { FollowUpService } from '../services/follow-ups/follow-up-service';
import type { PersonalData } from '../services/personal-data/personal-data';
import type { EmailFollowUps } from '../services/follow-ups/email/index';
import { attachAgentFollowUpHandlers, attachVisitorFollowUpHandlers } from './follow-up-handlers';
import { type RealtimeRouting, agentRoom, attachRoutingHandlers } from './routing-handlers';

/** Room names: visitors and agents never share a room, so agent-only events cannot leak. */
export const rooms = {
  agents: 'agents',
  visitorConversation: (id: string) => `v:${id}`,
  agentConversation: (id: string) => `a:${id}`,
  session: (hash: string) => `s:${hash}`,
};

type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorIdentity>;
type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, Record<string, never>, AgentIdentity>;

/** An error for `next(err)` whose `data` reaches the client's `connect_error`. */
function refusal(code: ErrorCode, message: string): Error & { data: { code: ErrorCode; message: string } } {
  return Object.assign(new Error(message), { data: { code, message } });
}

export interface RealtimeDeps {
  log: Logger;
  sites: SiteDirectory;
  auth: AuthService;
  visitors: VisitorService;
  conversations: ConversationService;
  /** Visitors' ratings of closed conversations. */
  ratings: RatingService;
  /** Teams, presence and assignment; absent, conversations are only listed. */
  routing?: RealtimeRouting;
  /** Inbox, search, notes, labels, profile, typing and read marks. */
  console: ConsoleServices;
  /** Follow-ups after a chat: reopening by writing, scheduling, the visitor's opt-out. */
  followUps?: FollowUpService;
  /** The visitor's "delete my data". */
  personalData?: Pick<PersonalData, 'eraseByVisitor'>;
  /** Email (when SMTP is set up): the visitor's transcript request. */
  email?: Pick<EmailFollowUps, 'requestTranscript'>;
  /** Abuse limits per client address, visitor and agent; absent, nothing is limited. */
  limits?: RateLimits;
  /** Socket.IO's adapter across nodes (the Redis Streams adapter with REDIS_URL); absent, this process's memory. */
  adapter?: ServerOptions['adapter'];
  /** Told how long each acked socket event took (the metrics' histogram); absent, nothing is timed. */
  observeEvent?: ObserveEvent;
}

/** Creates the Socket.IO server with its `/visitor` and `/agent` namespaces. */
export function createRealtime(http: HttpServer, deps: RealtimeDeps) {
  const io = new Server(http, {
    maxHttpBufferSize: Limits.socketPacketBytes,
    perMessageDeflate: false,
    serveClient: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    cors: {
      // the visitor namespace checks each site's allowed origins itself
      origin: true,
      credentials: false,
    },
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });
  const { log, sites, auth, visitors, conversations } = deps;
  const consoleDeps: ConsoleHandlerDeps = {
    log,
    console: deps.console,
    conversations,
    sites,
    rooms,
    ...(deps.routing ? { routing: deps.routing } : {}),
    ...(deps.followUps ? { followUps: deps.followUps } : {}),
    ...(deps.limits ? { limits: deps.limits } : {}),
  };

  const visitorNs: Namespace<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorIdentity> = io.of(Namespaces.visitor) as never;
  visitorNs.use(async (socket: VisitorSocket, next) => {
    try {
      const identity = await visitors.authenticate(socket.handshake.auth?.token);
      if (!identity) return next(refusal(ErrorCode.Unauthorized, 'unknown visitor token'));
      const site = sites.get(identity.siteId);
      const origin = socket.handshake.headers.origin;
      const self = selfOrigin(socket.handshake.headers, socket.handshake.secure);
      if (!site || !sites.isOriginAllowed(site, origin, self)) return next(refusal(ErrorCode.Forbidden, 'origin not allowed'));
      socket.data = identity;
      next();
    } catch (error) {
      log.error({ err: error }, 'visitor handshake failed');
      next(refusal(ErrorCode.Internal, 'internal error'));
    }
  });
  visitorNs.on('connection', (socket: VisitorSocket) => {
    const { contactId, name } = socket.data;
    if (deps.observeEvent) socket.use(timeAcks(deps.observeEvent));
    // the address as Express would see it behind a local proxy, for the per-address limits
    const who = { siteId: socket.data.siteId, address: clientAddress(socket.request), contactId };
    // a client that takes its ack as its copy is not sent its own message again
    const echoTo = (socket.handshake.auth as Partial<VisitorHandshake> | undefined)?.echo === false ? socket.id : undefined;
    socket.on(
      'conversation:join',
      handle(log, 'conversation:join', async (payload) => {
        const result = await conversations.syncForVisitor(contactId, payload);
        await socket.join(rooms.visitorConversation(result.conversation.id));
        if (deps.routing) result.conversation.queuePosition = await deps.routing.routing.queuePosition(result.conversation.id);
        if (deps.followUps) result.conversation.followUps = { optedOut: await deps.followUps.consent.optedOut(contactId) };
        return result;
      }),
    );
    socket.on(
      'message:send',
      handle(log, 'message:send', async (payload) => {
        // a malformed message is refused as before; only messages count against the limit
        const input = parseOrThrow(SendMessageSchema, payload);
        await deps.limits?.visitor('messages', who);
        return { message: await conversations.sendAsVisitor(contactId, name, input, echoTo) };
      }),
    );
    socket.on(
      'conversation:rate',
      handle(log, 'conversation:rate', async (payload) => {
        const input = parseOrThrow(RateConversationSchema, payload);
        await deps.limits?.visitor('ratings', who);
        return { rating: await deps.ratings.rate(contactId, input) };
      }),
    );
    socket.on(
      'conversation:transcript',
      handle(log, 'conversation:transcript', async (payload) => {
        if (!deps.email) throw new AppError(ErrorCode.NotFound, 'this server does not send email');
        return deps.email.requestTranscript(contactId, payload);
      }),
    );
    attachVisitorConsoleHandlers(socket, consoleDeps);
    if (deps.followUps) attachVisitorFollowUpHandlers(socket, log, deps.followUps);
    if (deps.personalData) {
      const data = deps.personalData;
      socket.on('contact:erase', handle(log, 'contact:erase', (payload) => data.eraseByVisitor(contactId, payload)));
    }
  });

  const agentNs: Namespace<AgentClientEvents, AgentServerEvents, Record<string, never>, AgentIdentity> = io.of(Namespaces.agent) as never;
  agentNs.use(async (socket: AgentSocket, next) => {
    try {
      // a cookie rides along with any cross-site WebSocket: accept only our own pages
      const origin = socket.handshake.headers.origin;
      const self = selfOrigin(socket.handshake.headers, socket.handshake.secure);
      if (origin && origin !== self) return next(refusal(ErrorCode.Forbidden, 'origin not allowed'));
      const agent = await auth.authenticate(readCookie(socket.handshake.headers.cookie, SESSION_COOKIE));
      if (!agent) return next(refusal(ErrorCode.Unauthorized, 'sign in first'));
      socket.data = agent;
      next();
    } catch (error) {
      log.error({ err: error }, 'agent handshake failed');
      next(refusal(ErrorCode.Internal, 'internal error'));
    }
  });
  agentNs.on('connection', (socket: AgentSocket) => {
    const agent = socket.data;
    if (deps.observeEvent) socket.use(timeAcks(deps.observeEvent));
    void socket.join([rooms.agents, rooms.session(agent.sessionHash)]);
    if (deps.routing) attachRoutingHandlers(socket, deps.routing, log);
    attachAgentConsoleHandlers(socket, consoleDeps);
    if (deps.followUps) attachAgentFollowUpHandlers(socket, log, deps.followUps);
  });

  const notifier: Notifier = {
    messageCreated(message, exceptSocket) {
      const visitorRoom = visitorNs.to(rooms.visitorConversation(message.conversationId));
      (exceptSocket ? visitorRoom.except(exceptSocket) : visitorRoom).emit('message:new', message);
      agentNs.to(rooms.agentConversation(message.conversationId)).emit('message:new', message);
    },
    conversationChanged(summary, visitorView) {
      agentNs.to(rooms.agents).emit('conversation:upsert', summary);
      if (visitorView) visitorNs.to(rooms.visitorConversation(summary.id)).emit('conversation:updated', visitorView);
    },
    agentSessionEnded(hash) {
      agentNs.in(rooms.session(hash)).disconnectSockets(true);
    },
    noteCreated(note) {
      agentNs.to(rooms.agentConversation(note.conversationId)).emit('note:new', note);
    },
    timelineEvent(event) {
      agentNs.to(rooms.agentConversation(event.conversationId)).emit('conversation:event', event);
    },
    typing(event, toVisitor) {
      agentNs.to(rooms.agentConversation(event.conversationId)).emit('typing', event);
      if (toVisitor) visitorNs.to(rooms.visitorConversation(toVisitor.conversationId)).emit('typing', toVisitor);
    },
    readMoved(event, visitorAgentReadSeq) {
      const targets = [rooms.agentConversation(event.conversationId), ...(event.agentId ? [agentRoom(event.agentId)] : [])];
      agentNs.to(targets).emit('conversation:read', event);
      if (visitorAgentReadSeq !== null) {
        visitorNs.to(rooms.visitorConversation(event.conversationId)).emit('conversation:read', { conversationId: event.conversationId, agentReadSeq: visitorAgentReadSeq, visitorReadSeq: event.visitorReadSeq });
      }
    },
    labelsChanged(labels) {
      agentNs.to(rooms.agents).emit('labels:updated', labels);
    },
    contactUpdated(contactId, profile) {
      agentNs.to(rooms.agents).emit('contact:updated', { contactId, profile });
    },
    conversationsRemoved(ids) {
      if (!ids.length) return;
      agentNs.to(rooms.agents).emit('conversations:removed', { ids });
      // the erased visitor's own tabs: their token no longer opens anything (after this turn, so a
      // visitor's own "delete my data" gets its ack first: a close flushes what is already queued)
      setImmediate(() => visitorNs.in(ids.map((id) => rooms.visitorConversation(id))).disconnectSockets(true));
    },
    scheduledChanged(scheduled) {
      agentNs.to(rooms.agentConversation(scheduled.conversationId)).emit('followup:updated', scheduled);
    },
  };
  const routingNotifier: RoutingNotifier = {
    visitorConversationChanged(view) {
      visitorNs.to(rooms.visitorConversation(view.id)).emit('conversation:updated', view);
    },
    agentChanged(agent) {
      agentNs.to(rooms.agents).emit('agent:updated', agent);
      // a role (or name) change takes effect on the agent's open sockets at once, not at their next connect
      for (const socket of agentNs.sockets.values()) {
        if (socket.data.id !== agent.id) continue;
        socket.data.role = agent.role;
        socket.data.name = agent.name;
      }
    },
  };
  const tabs: TabCounter = {
    async count(agentId) {
      return (await agentNs.in(agentRoom(agentId)).fetchSockets()).length;
    },
  };
  return { io, notifier, routingNotifier, tabs };
}
