import type { Ack } from './errors';
import type { ConversationDetail, ConversationStatus, ConversationSummary, Message } from './models';
import type { AgentSummary, ConversationRating, Presence, TeamSummary } from './models';
import type { AssignConversation, ConversationRef, SetPresence, TransferConversation } from './routing';
import type { InboxQuery, JoinConversation, RateConversation, SendMessage } from './schemas';

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
  /**
   * Place in the team's queue while waiting for an agent (1 = next), null once
   * assigned or closed. Absent on updates that do not concern the queue: keep the last value.
   */
  queuePosition?: number | null;
  /** The visitor's rating of a closed conversation; null until rated. Absent on updates that do not concern it. */
  rating?: ConversationRating | null;
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
  /** Rates a closed conversation of one's own, once; rating again replaces the score and comment. */
  'conversation:rate': (payload: Partial<RateConversation>, ack: Callback<{ rating: ConversationRating }>) => void;
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
  'conversation:close': (payload: Partial<ConversationRef>, ack: Callback<{ conversation: ConversationSummary }>) => void;
  'conversation:reopen': (payload: Partial<ConversationRef>, ack: Callback<{ conversation: ConversationSummary }>) => void;
  /** Takes an unassigned conversation for oneself. */
  'conversation:claim': (payload: Partial<ConversationRef>, ack: Callback<{ conversation: ConversationSummary }>) => void;
  /** Admins only: gives a conversation to any agent. */
  'conversation:assign': (payload: Partial<AssignConversation>, ack: Callback<{ conversation: ConversationSummary }>) => void;
  /** To an agent or a team, with a note for agents only. */
  'conversation:transfer': (payload: Partial<TransferConversation>, ack: Callback<{ conversation: ConversationSummary }>) => void;
  'presence:set': (payload: Partial<SetPresence>, ack: Callback<{ presence: Presence }>) => void;
  'agents:list': (payload: Record<string, never> | undefined, ack: Callback<{ agents: AgentSummary[]; teams: TeamSummary[] }>) => void;
}

export interface AgentServerEvents {
  /** An agent's presence, load or profile changed. */
  'agent:updated': (agent: AgentSummary) => void;
  /** A conversation was created or changed (new message, status, assignee). */
  'conversation:upsert': (conversation: ConversationSummary) => void;
  /** A message in a conversation this socket opened. */
  'message:new': (message: Message) => void;
}

export const Namespaces = { visitor: '/visitor', agent: '/agent' } as const;
