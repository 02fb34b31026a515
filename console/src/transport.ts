import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  AgentSummary,
  InboxView,
  Presence,
  TeamSummary,
  AgentClientEvents,
  AgentServerEvents,
  ConversationDetail,
  ConversationSummary,
  Message,
  SyncResult,
} from '../../protocol/src/index';
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
  onMessage(message: Message): void;
  /** An agent's presence, load or profile changed. */
  onAgentUpdated?(agent: AgentSummary): void;
}

/** The console's one socket, behind a small promise-based API. */
export interface Transport {
  /** Opens the socket (idempotent) and routes its events to `handlers`. */
  connect(handlers: TransportHandlers): void;
  /** Closes the socket and forgets the handlers. */
  close(): void;
  listInbox(status: 'open' | 'closed' | 'all', view?: InboxView): Promise<Ack<{ conversations: ConversationSummary[] }>>;
  openConversation(conversationId: string, afterSeq: number): Promise<Ack<SyncResult<ConversationDetail>>>;
  sendMessage(conversationId: string, clientId: string, text: string): Promise<Ack<{ message: Message }>>;
  /** Close, reopen, claim, assign (admins) or transfer a conversation. */
  handOff(
    action: 'close' | 'reopen' | 'claim' | 'assign' | 'transfer',
    payload: { conversationId: string; agentId?: string; teamId?: string; note?: string },
  ): Promise<Ack<{ conversation: ConversationSummary }>>;
  setPresence(status: Presence): Promise<Ack<{ presence: Presence }>>;
  listAgents(): Promise<Ack<{ agents: AgentSummary[]; teams: TeamSummary[] }>>;
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
      s.on('message:new', (m) => handlers.onMessage(m));
      s.on('agent:updated', (a) => handlers.onAgentUpdated?.(a));
    },
    close() {
      socket?.removeAllListeners();
      socket?.disconnect();
      socket = null;
    },
    listInbox(status, view = 'all') {
      return request((s) => s.emitWithAck('inbox:list', { status, view }));
    },
    openConversation(conversationId, afterSeq) {
      return request((s) => s.emitWithAck('conversation:open', { conversationId, afterSeq }));
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
  };
}
