/** The shapes that travel between server, widget and console. */

import type { Attachment, ContactProfile, Note, TimelineEvent } from './console';

export type AuthorType = 'visitor' | 'agent' | 'bot' | 'system';

export type ConversationStatus = 'open' | 'closed';

export interface Message {
  id: string;
  conversationId: string;
  /** Per-conversation sequence number, 1-based, without gaps. */
  seq: number;
  /** The id the sending client chose; sending it again returns this message. */
  clientId: string;
  authorType: AuthorType;
  /** Display name of the author (agent's name, contact's name, or the bot's). */
  authorName: string | null;
  text: string;
  /** ISO 8601 timestamp of the commit. */
  createdAt: string;
  /** A file sent with the message (the text is then its caption or its name). */
  attachment?: Attachment | null;
}

export interface ConsentRecord {
  /** The exact text the visitor was shown. */
  text: string;
  /** SHA-256 of that text, hex. */
  textHash: string;
  policyUrl: string | null;
  acceptedAt: string;
  /** The site whose widget showed it. */
  siteId: string;
  pageUrl: string | null;
  /** The language the text was shown in. */
  language: string;
}

export interface Contact {
  id: string;
  siteId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  createdAt: string;
}

export interface ConversationSummary {
  id: string;
  siteId: string;
  status: ConversationStatus;
  contact: Contact;
  inquiryType: string | null;
  assigneeId: string | null;
  lastSeq: number;
  lastMessage: (Pick<Message, 'text' | 'authorType' | 'authorName' | 'createdAt'> & { authorId: string | null }) | null;
  /** Seq of the visitor's latest message (0 when none): unread for an agent whose read mark is below it. */
  lastVisitorSeq: number;
  /**
   * The asking agent's read mark; only in answers to that agent (inbox pages, search), absent in
   * broadcasts. -1 when the agent never opened it: a new conversation is unread until opened.
   */
  readSeq?: number;
  /** Who the open conversation waits on: `agent` (the visitor wrote last), `visitor` (an agent did, so it is pending), or null. */
  awaiting: 'agent' | 'visitor' | null;
  /** The conversation's labels. */
  labels: string[];
  createdAt: string;
  /** Last activity: the inbox is sorted by it. */
  updatedAt: string;
  /** The visitor's rating of the closed conversation, once given. */
  rating: ConversationRating | null;
  /** Where routing sent the conversation and why (absent on servers without routing). */
  routing?: ConversationRouting;
}

/** An agent's availability: only online agents receive conversations. */
export type Presence = 'online' | 'away' | 'offline';

/** The inbox views: assigned to me, waiting for anyone, or everything. */
export type InboxView = 'mine' | 'unassigned' | 'all';

/** The routing decision recorded on a conversation. */
export interface ConversationRouting {
  teamId: string | null;
  /** 0 low, 1 normal, 2 high, 3 urgent. */
  priority: number;
  /** Name of the rule that matched (`default` for the default rule). */
  rule: string | null;
  /** A sentence an agent can read: which rule, which conditions, later transfers. */
  reason: string | null;
  /** When it entered its team's queue; the queue is ordered by priority, then this. */
  queuedAt: string | null;
}

/** An agent as the console lists it for transfers and administration. */
export interface AgentSummary {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  presence: Presence;
  languages: string[];
  /** Most open conversations routing gives this agent at once. */
  capacity: number;
  /** The agent's own limit; null when `capacity` is inherited (config, team default or global default). */
  ownCapacity: number | null;
  /** Open conversations assigned now. */
  load: number;
  /** Ids of the teams the agent belongs to. */
  teams: string[];
  /** False once an admin deactivated the agent (they left): no sign-in, no conversations. */
  active: boolean;
}

/** One of the signed-in agent's sessions, for "where am I signed in". */
export interface AgentSession {
  /** A short public id (not the cookie, nor its hash). */
  id: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  userAgent: string | null;
  /** The session of the request that asks. */
  current: boolean;
}

/** A team as the console lists it. */
export interface TeamSummary {
  id: string;
  name: string;
  /** Member emails, including ones with no agent account yet. */
  members: string[];
  fallback: string | null;
  online: number;
  /** Conversations waiting in its queue. */
  waiting: number;
}

/** One answered survey field, with the label the visitor saw. */
export interface SurveyAnswer {
  key: string;
  label: string;
  value: string | number | boolean;
}

/** How the visitor rated a conversation after it was closed. */
export interface ConversationRating {
  /** 1 (worst) to 5 (best). */
  score: number;
  comment: string | null;
  ratedAt: string;
}

export interface ConversationDetail extends ConversationSummary {
  answers: SurveyAnswer[];
  consent: ConsentRecord | null;
  pageUrl: string | null;
  /** When a keyword rule asked for a person to take over; null when none did. */
  handoverAt: string | null;
  /** Private notes, oldest first (agents only). */
  notes: Note[];
  /** Assignments, transfers, labels, closes, reopens and ratings, oldest first (agents only). */
  events: TimelineEvent[];
  /** Highest seq the visitor has seen. */
  visitorReadSeq: number;
  /** Highest seq any agent has seen (what the visitor is shown as read). */
  agentReadSeq: number;
  /** Labels, attributes, time zone, browser, pages and other conversations of the contact. */
  profile: ContactProfile;
}

export interface AgentProfile {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
}
