import type { Generated } from 'kysely';

/**
 * Table types for Kysely. Timestamps are ISO 8601 strings and JSON columns are
 * text, so the same queries run on SQLite and on Postgres.
 */
export interface Database {
  sites: SitesTable;
  contacts: ContactsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  agents: AgentsTable;
  agent_sessions: AgentSessionsTable;
  settings: SettingsTable;
}

export interface SitesTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ContactsTable {
  id: string;
  site_id: string;
  /** SHA-256 (hex) of the visitor's secret token; the token itself is never stored. */
  token_hash: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConversationsTable {
  id: string;
  site_id: string;
  contact_id: string;
  status: 'open' | 'closed';
  inquiry_type: string | null;
  assignee_id: string | null;
  /** JSON: SurveyAnswer[] */
  answers: string;
  /** JSON: ConsentRecord | null */
  consent: string | null;
  page_url: string | null;
  last_seq: number;
  last_message_text: string | null;
  last_message_author: string | null;
  last_message_at: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  client_id: string;
  author_type: 'visitor' | 'agent' | 'bot' | 'system';
  author_id: string | null;
  author_name: string | null;
  text: string;
  created_at: string;
}

export interface AgentsTable {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  password_hash: string;
  created_at: string;
  updated_at: string;
}

export interface AgentSessionsTable {
  /** SHA-256 (hex) of the cookie value. */
  id_hash: string;
  agent_id: string;
  created_at: string;
  expires_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Generated<string>;
}
