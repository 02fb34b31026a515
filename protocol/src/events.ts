import type { Ack } from './errors';
import type { ConversationDetail, ConversationStatus, ConversationSummary, Message } from './models';
import type { AgentSummary, ConversationRating, Presence, TeamSummary } from './models';
import type { AssignConversation, ConversationRef, SetPresence, TransferConversation } from './routing';
import type { JoinConversation, RateConversation, SendMessage } from './schemas';
import type {
  AddNote,
  AgentTyping,
  ContactProfile,
  EditAttributes,
  EditLabels,
  HistoryQuery,
  InboxCounts,
  InboxQuery,
  Label,
  LatestQuery,
  Note,
  PageView,
  ReadEvent,
  ReadMark,
  SearchQuery,
  TimelineEvent,
  TypingEvent,
  VisitorReadEvent,
  VisitorTyping,
  VisitorTypingEvent,
} from './console';
import type { EditFollowUp, FollowUpOptOut, FollowUpRef, FollowUpTiming, ScheduleFollowUp, ScheduledMessage, SetFollowUps, TranscriptRequest } from './follow-ups';

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
  /** Highest seq an agent has seen (the visitor's messages up to it show as read). Absent when unchanged. */
  agentReadSeq?: number;
  /** Highest seq the visitor has seen (in any tab); the widget's unread count is what is above it. Absent when unchanged. */
  visitorReadSeq?: number;
  /** The person answering: the assignee, or the last agent who wrote; null before any. Absent when unchanged. */
  agent?: { name: string } | null;
  /** Whether a person (not only the bot) has written in it. Absent when unchanged. */
  humanReplied?: boolean;
  /** The contact opted out of follow-ups (join answers only). */
  followUps?: { optedOut: FollowUpOptOut | null };
}

export interface SyncResult<C> {
  conversation: C;
  messages: Message[];
  /** True when more messages follow; ask again with the last seq received. */
  hasMore: boolean;
}

/**
 * What a visitor socket sends in its handshake (`auth`). `echo: false` says the client takes the
 * ack of its `message:send` as its copy of the message, so the server does not send it back as
 * `message:new` (other sockets of the visitor still get it); absent or true, it comes back too.
 */
export interface VisitorHandshake {
  token: string;
  echo?: boolean;
}

/** `/visitor`: authenticated by `auth.token` in the handshake (see {@link VisitorHandshake}). */
export interface VisitorClientEvents {
  'conversation:join': (payload: Partial<JoinConversation>, ack: Callback<SyncResult<VisitorConversation>>) => void;
  'message:send': (payload: Partial<SendMessage>, ack: Callback<{ message: Message }>) => void;
  /** Rates a closed conversation of one's own, once; rating again replaces the score and comment. */
  'conversation:rate': (payload: Partial<RateConversation>, ack: Callback<{ rating: ConversationRating }>) => void;
  /** Typing started or stopped (throttled by the widget; the server drops excess). */
  typing: (payload: Partial<VisitorTyping>) => void;
  /** The visitor has seen every message up to `seq`. */
  'conversation:read': (payload: Partial<ReadMark>, ack: Callback<{ seq: number }>) => void;
  /** A page the visitor moved to while the conversation lives. */
  'page:view': (payload: Partial<PageView>, ack: Callback<{ recorded: boolean }>) => void;
  /** Opts out of follow-ups (`allow: false`) or accepts them again; kept as proof. */
  'followups:set': (payload: Partial<SetFollowUps>, ack: Callback<{ optedOut: FollowUpOptOut | null }>) => void;
  /** Deletes everything about the visitor (their contact, conversations, files) and records their consent withdrawn. */
  'contact:erase': (payload: { confirm: true }, ack: Callback<{ erased: boolean }>) => void;
  /** Emails the conversation to the contact's address (only when the server sends email). */
  'conversation:transcript': (payload: Partial<TranscriptRequest>, ack: Callback<{ queued: boolean }>) => void;
}

export interface VisitorServerEvents {
  'message:new': (message: Message) => void;
  'conversation:updated': (conversation: VisitorConversation) => void;
  /** An agent is (or stopped) typing. */
  typing: (event: VisitorTypingEvent) => void;
  /** Agents have read up to a seq. */
  'conversation:read': (event: VisitorReadEvent) => void;
}

/** `/agent`: authenticated by the session cookie sent with the handshake. */
export interface AgentClientEvents {
  /** One page of a view; `nextCursor` asks for the next. */
  'inbox:list': (query: Partial<InboxQuery>, ack: Callback<{ conversations: ConversationSummary[]; nextCursor: string | null }>) => void;
  /** Open and unread counts per view and per team. */
  'inbox:counts': (payload: Record<string, never> | undefined, ack: Callback<{ counts: InboxCounts }>) => void;
  'inbox:search': (query: Partial<SearchQuery>, ack: Callback<{ conversations: ConversationSummary[] }>) => void;
  /** The last page of a long conversation's messages (with its detail, notes and events). */
  'conversation:latest': (payload: Partial<LatestQuery>, ack: Callback<SyncResult<ConversationDetail>>) => void;
  /** Older messages, before a seq. */
  'conversation:history': (payload: Partial<HistoryQuery>, ack: Callback<{ messages: Message[]; hasMore: boolean }>) => void;
  'note:add': (payload: Partial<AddNote>, ack: Callback<{ note: Note }>) => void;
  'labels:list': (payload: Record<string, never> | undefined, ack: Callback<{ labels: Label[] }>) => void;
  'conversation:labels': (payload: Partial<EditLabels>, ack: Callback<{ labels: string[] }>) => void;
  'contact:labels': (payload: Partial<EditLabels>, ack: Callback<{ labels: string[] }>) => void;
  'contact:attributes': (payload: Partial<EditAttributes>, ack: Callback<{ profile: ContactProfile }>) => void;
  typing: (payload: Partial<AgentTyping>) => void;
  /** The agent has seen every message up to `seq`. */
  'conversation:read': (payload: Partial<ReadMark>, ack: Callback<{ seq: number }>) => void;
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
  /** Whether now is a good time to write to the conversation's contact, and when the next one is. */
  'followup:timing': (payload: Partial<ConversationRef>, ack: Callback<{ timing: FollowUpTiming }>) => void;
  /** Schedules a follow-up for later (the contact's morning); sent once, even across restarts. */
  'followup:schedule': (payload: Partial<ScheduleFollowUp>, ack: Callback<{ scheduled: ScheduledMessage }>) => void;
  /** The conversation's scheduled follow-ups, waiting ones first. */
  'followup:list': (payload: Partial<ConversationRef>, ack: Callback<{ scheduled: ScheduledMessage[] }>) => void;
  'followup:edit': (payload: Partial<EditFollowUp>, ack: Callback<{ scheduled: ScheduledMessage }>) => void;
  'followup:cancel': (payload: Partial<FollowUpRef>, ack: Callback<{ scheduled: ScheduledMessage }>) => void;
}

export interface AgentServerEvents {
  /** An agent's presence, load or profile changed. */
  'agent:updated': (agent: AgentSummary) => void;
  /** A conversation was created or changed (new message, status, assignee). */
  'conversation:upsert': (conversation: ConversationSummary) => void;
  /** A message in a conversation this socket opened. */
  'message:new': (message: Message) => void;
  /** A private note in a conversation this socket opened. */
  'note:new': (note: Note) => void;
  /** A timeline event in a conversation this socket opened. */
  'conversation:event': (event: TimelineEvent) => void;
  /** Typing in a conversation this socket opened. */
  typing: (event: TypingEvent) => void;
  /** Read marks moved (the visitor's, or this agent's own from another tab). */
  'conversation:read': (event: ReadEvent) => void;
  /** The site's label catalogue changed. */
  'labels:updated': (labels: Label[]) => void;
  /** A contact's labels or attributes changed. */
  'contact:updated': (update: { contactId: string; profile: ContactProfile }) => void;
  /** Conversations erased (a contact's erasure, retention): drop them from every list. */
  'conversations:removed': (event: { ids: string[] }) => void;
  /** A scheduled follow-up in a conversation this socket opened was made, edited, cancelled or sent. */
  'followup:updated': (scheduled: ScheduledMessage) => void;
}

export const Namespaces = { visitor: '/visitor', agent: '/agent' } as const;
