import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  AgentSummary,
  ContactProfile,
  InboxCounts,
  InboxQuery,
  InboxView,
  Label,
  Note,
  ReadEvent,
  TimelineEvent,
  TypingEvent,
  Presence,
  TeamSummary,
  AgentClientEvents,
  AgentServerEvents,
  ConversationDetail,
  ConversationSummary,
  Message,
  SyncResult,
} from '../../protocol/src/index';
import type { EditFollowUp, FollowUpTiming, ScheduleFollowUp, ScheduledMessage } from '../../protocol/src/follow-ups';
import { Namespaces } from '../../protocol/src/events';

/** The typed socket of the `/agent` namespace. */
export type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

/** How long an ack may take before the request counts as lost. */
export const ACK_TIMEOUT_MS = 8000;

/** A request that got no answer: the socket was down or the ack did not arrive in time. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code: 'timeout' | 'disconnected';

  constructor(code: 'timeout' | 'disconnected', message: string) {
    super(message);
    this.code = code;
  }
}

/** What the transport reports to the models. */
export interface TransportHandlers {
  onConnect(): void;
  onDisconnect(): void;
  /** The handshake was refused because the session is missing or expired. */
  onUnauthorized(): void;
  onUpsert(conversation: ConversationSummary): void;
  /** Conversations erased on the server: drop them. */
  onRemoved?(ids: string[]): void;
  onMessage(message: Message): void;
  /** An agent's presence, load or profile changed. */
  onAgentUpdated?(agent: AgentSummary): void;
  /** A private note in an opened conversation. */
  onNote?(note: Note): void;
  /** A timeline event (assigned, labelled, closed…) in an opened conversation. */
  onEvent?(event: TimelineEvent): void;
  onTyping?(event: TypingEvent): void;
  /** Read marks moved: the visitor's, or this agent's own from another tab. */
  onRead?(event: ReadEvent): void;
  onLabels?(labels: Label[]): void;
  onContactUpdated?(update: { contactId: string; profile: ContactProfile }): void;
  /** A scheduled follow-up in an opened conversation was made, edited, cancelled or sent. */
  onFollowUp?(scheduled: ScheduledMessage): void;
}

/** The console's one socket, behind a small promise-based API. */
export interface Transport {
  /** Opens the socket (idempotent) and routes its events to `handlers`. */
  connect(handlers: TransportHandlers): void;
  /** Closes the socket and forgets the handlers. */
  close(): void;
  /** One page of a view; pass the previous page's `nextCursor` for the next. */
  listInbox(query: Partial<InboxQuery>): Promise<Ack<{ conversations: ConversationSummary[]; nextCursor: string | null }>>;
  inboxCounts(): Promise<Ack<{ counts: InboxCounts }>>;
  search(q: string, limit?: number): Promise<Ack<{ conversations: ConversationSummary[] }>>;
  openConversation(conversationId: string, afterSeq: number): Promise<Ack<SyncResult<ConversationDetail>>>;
  /** The detail and the last `limit` messages (a long conversation opens at its end). */
  openLatest(conversationId: string, limit?: number): Promise<Ack<SyncResult<ConversationDetail>>>;
  /** Older messages, before `beforeSeq`. */
  history(conversationId: string, beforeSeq: number, limit?: number): Promise<Ack<{ messages: Message[]; hasMore: boolean }>>;
  addNote(conversationId: string, clientId: string, text: string): Promise<Ack<{ note: Note }>>;
  listLabels(): Promise<Ack<{ labels: Label[] }>>;
  editConversationLabels(conversationId: string, add: string[], remove: string[]): Promise<Ack<{ labels: string[] }>>;
  editContactLabels(contactId: string, add: string[], remove: string[]): Promise<Ack<{ labels: string[] }>>;
  setContactAttributes(contactId: string, attributes: Record<string, string | number | boolean | null>): Promise<Ack<{ profile: ContactProfile }>>;
  /** Tells the visitor the agent is (or stopped) typing; fire and forget. */
  typing(conversationId: string, typing: boolean): void;
  /** Records that the agent has seen every message up to `seq`. */
  markRead(conversationId: string, seq: number): Promise<Ack<{ seq: number }>>;
  sendMessage(conversationId: string, clientId: string, text: string): Promise<Ack<{ message: Message }>>;
  /** Close, reopen, claim, assign (admins) or transfer a conversation. */
  handOff(
    action: 'close' | 'reopen' | 'claim' | 'assign' | 'transfer',
    payload: { conversationId: string; agentId?: string; teamId?: string; note?: string },
  ): Promise<Ack<{ conversation: ConversationSummary }>>;
  setPresence(status: Presence): Promise<Ack<{ presence: Presence }>>;
  listAgents(): Promise<Ack<{ agents: AgentSummary[]; teams: TeamSummary[] }>>;
  /** Whether now is a good time to write to the conversation's contact, and when the next one is. */
  followUpTiming(conversationId: string): Promise<Ack<{ timing: FollowUpTiming }>>;
  /** Schedules a follow-up; the same `clientId` twice schedules it once. */
  scheduleFollowUp(payload: ScheduleFollowUp): Promise<Ack<{ scheduled: ScheduledMessage }>>;
  listFollowUps(conversationId: string): Promise<Ack<{ scheduled: ScheduledMessage[] }>>;
  editFollowUp(payload: EditFollowUp): Promise<Ack<{ scheduled: ScheduledMessage }>>;
  cancelFollowUp(id: string): Promise<Ack<{ scheduled: ScheduledMessage }>>;
}

/** Builds the transport; `url` defaults to the `/agent` namespace on this origin. */
export function createTransport(url: string = Namespaces.agent): Transport {
  let socket: AgentSocket | null = null;

  async function request<T>(emit: (s: AgentSocket) => Promise<Ack<T>>): Promise<Ack<T>> {
    // upon a closed socket, fail fast instead of letting socket.io buffer the packet
    if (!socket?.connected) throw new TransportError('disconnected', 'Not connected');
    try {
      return await emit(socket.timeout(ACK_TIMEOUT_MS) as unknown as AgentSocket);
    } catch {
      throw new TransportError('timeout', 'No answer from the server');
    }
  }

  return {
    connect(handlers) {
      if (socket) return;
      const s: AgentSocket = io(url, { withCredentials: true, transports: ['websocket', 'polling'] });
      socket = s;
      s.on('connect', () => handlers.onConnect());
      s.on('disconnect', () => handlers.onDisconnect());
      s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
        if (err.data?.code === 'unauthorized') {
          s.disconnect();
          handlers.onUnauthorized();
        } else {
          handlers.onDisconnect();
        }
      });
      s.on('conversation:upsert', (c) => handlers.onUpsert(c));
      s.on('conversations:removed', (e) => handlers.onRemoved?.(e.ids));
      s.on('message:new', (m) => handlers.onMessage(m));
      s.on('agent:updated', (a) => handlers.onAgentUpdated?.(a));
      s.on('note:new', (n) => handlers.onNote?.(n));
      s.on('conversation:event', (e) => handlers.onEvent?.(e));
      s.on('typing', (e) => handlers.onTyping?.(e));
      s.on('conversation:read', (e) => handlers.onRead?.(e));
      s.on('labels:updated', (l) => handlers.onLabels?.(l));
      s.on('contact:updated', (u) => handlers.onContactUpdated?.(u));
      s.on('followup:updated', (f) => handlers.onFollowUp?.(f));
    },
    close() {
      socket?.removeAllListeners();
      socket?.disconnect();
      socket = null;
    },
    listInbox(query) {
      return request((s) => s.emitWithAck('inbox:list', query));
    },
    inboxCounts() {
      return request((s) => s.emitWithAck('inbox:counts', {}));
    },
    search(q, limit = 20) {
      return request((s) => s.emitWithAck('inbox:search', { q, limit }));
    },
    openConversation(conversationId, afterSeq) {
      return request((s) => s.emitWithAck('conversation:open', { conversationId, afterSeq }));
    },
    openLatest(conversationId, limit = 50) {
      return request((s) => s.emitWithAck('conversation:latest', { conversationId, limit }));
    },
    history(conversationId, beforeSeq, limit = 50) {
      return request((s) => s.emitWithAck('conversation:history', { conversationId, beforeSeq, limit }));
    },
    addNote(conversationId, clientId, text) {
      return request((s) => s.emitWithAck('note:add', { conversationId, clientId, text }));
    },
    listLabels() {
      return request((s) => s.emitWithAck('labels:list', {}));
    },
    editConversationLabels(id, add, remove) {
      return request((s) => s.emitWithAck('conversation:labels', { id, add, remove }));
    },
    editContactLabels(id, add, remove) {
      return request((s) => s.emitWithAck('contact:labels', { id, add, remove }));
    },
    setContactAttributes(contactId, attributes) {
      return request((s) => s.emitWithAck('contact:attributes', { contactId, attributes }));
    },
    typing(conversationId, typing) {
      if (socket?.connected) socket.emit('typing', { conversationId, typing });
    },
    markRead(conversationId, seq) {
      return request((s) => s.emitWithAck('conversation:read', { conversationId, seq }));
    },
    sendMessage(conversationId, clientId, text) {
      return request((s) => s.emitWithAck('message:send', { conversationId, clientId, text }));
    },
    handOff(action, payload) {
      return request((s) => s.emitWithAck(`conversation:${action}`, payload));
    },
    setPresence(status) {
      return request((s) => s.emitWithAck('presence:set', { status }));
    },
    listAgents() {
      return request((s) => s.emitWithAck('agents:list', {}));
    },
    followUpTiming(conversationId) {
      return request((s) => s.emitWithAck('followup:timing', { conversationId }));
    },
    scheduleFollowUp(payload) {
      return request((s) => s.emitWithAck('followup:schedule', payload));
    },
    listFollowUps(conversationId) {
      return request((s) => s.emitWithAck('followup:list', { conversationId }));
    },
    editFollowUp(payload) {
      return request((s) => s.emitWithAck('followup:edit', payload));
    },
    cancelFollowUp(id) {
      return request((s) => s.emitWithAck('followup:cancel', { id }));
    },
  };
}
