import type { Ack } from './errors';
import type { ConversationDetail, ConversationStatus, ConversationSummary, Message } from './models';
import type { InboxQuery, JoinConversation, SendMessage } from './schemas';

/**
 * Typed Socket.IO event maps, one pair per namespace, used by the server
 * (`Server<ClientToServer, ServerToClient>`) and by each client.
 * Payload types are the schemas' *input* so that clients send loosely and the
 * server validates strictly.
 */

type Callback<T> = (ack: Ack<T>) => void;

/** The visitor's own view of a conversation: no assignee, no notes. */
export interface VisitorConversation {
  id: string;
  siteId: string;
  status: ConversationStatus;
  lastSeq: number;
}

export interface SyncResult<C> {
  conversation: C;
  messages: Message[];
  /** True when more messages follow; ask again with the last seq received. */
  hasMore: boolean;
}

/** `/visitor`: authenticated by `auth.token` in the handshake. */
export interface VisitorClientEvents {
  'conversation:join': (payload: Partial<JoinConversation>, ack: Callback<SyncResult<VisitorConversation>>) => void;
  'message:send': (payload: Partial<SendMessage>, ack: Callback<{ message: Message }>) => void;
}

export interface VisitorServerEvents {
  'message:new': (message: Message) => void;
  'conversation:updated': (conversation: VisitorConversation) => void;
}

/** `/agent`: authenticated by the session cookie sent with the handshake. */
export interface AgentClientEvents {
  'inbox:list': (query: Partial<InboxQuery>, ack: Callback<{ conversations: ConversationSummary[] }>) => void;
  'conversation:open': (payload: Partial<JoinConversation>, ack: Callback<SyncResult<ConversationDetail>>) => void;
  'message:send': (payload: Partial<SendMessage>, ack: Callback<{ message: Message }>) => void;
}

export interface AgentServerEvents {
  /** A conversation was created or changed (new message, status, assignee). */
  'conversation:upsert': (conversation: ConversationSummary) => void;
  /** A message in a conversation this socket opened. */
  'message:new': (message: Message) => void;
}

export const Namespaces = { visitor: '/visitor', agent: '/agent' } as const;
