/** The shapes that travel between server, widget and console. */

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
}

export interface ConsentRecord {
  /** The exact text the visitor was shown. */
  text: string;
  /** SHA-256 of that text, hex. */
  textHash: string;
  policyUrl: string | null;
  acceptedAt: string;
  pageUrl: string | null;
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
  lastMessage: Pick<Message, 'text' | 'authorType' | 'createdAt'> | null;
  createdAt: string;
  updatedAt: string;
}

/** One answered survey field, with the label the visitor saw. */
export interface SurveyAnswer {
  key: string;
  label: string;
  value: string | number | boolean;
}

export interface ConversationDetail extends ConversationSummary {
  answers: SurveyAnswer[];
  consent: ConsentRecord | null;
  pageUrl: string | null;
}

export interface AgentProfile {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
}
