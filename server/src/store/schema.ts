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
  teams: TeamsTable;
  team_members: TeamMembersTable;
  routing_events: RoutingEventsTable;
  auto_reply_settings: AutoReplySettingsTable;
  site_settings: SiteSettingsTable;
  conversation_reads: ConversationReadsTable;
  notes: NotesTable;
  labels: LabelsTable;
  conversation_labels: ConversationLabelsTable;
  attachments: AttachmentsTable;
  page_views: PageViewsTable;
  follow_up_consents: FollowUpConsentsTable;
  scheduled_messages: ScheduledMessagesTable;
  email_outbox: EmailOutboxTable;
  audit_log: AuditLogTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  api_keys: ApiKeysTable;
  contact_tokens: ContactTokensTable;
  presence_log: PresenceLogTable;
  agent_invites: AgentInvitesTable;
}

/** A one-time invitation of a new agent (only the link's SHA-256). */
export interface AgentInvitesTable {
  id: string;
  token_hash: string;
  email: string;
  role: 'admin' | 'agent';
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

/** Each presence change of an agent, from `at` on. */
export interface PresenceLogTable {
  id: string;
  agent_id: string;
  presence: string;
  at: string;
}

/** A contact's further tokens (one per browser of a verified user); SHA-256 only. */
export interface ContactTokensTable {
  token_hash: string;
  contact_id: string;
  created_at: string;
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
  /** JSON object of attributes (routing reads VIP markers here). */
  attributes?: string | null;
  /** JSON array of labels. */
  labels?: string | null;
  /** IANA time zone from the visitor's browser. */
  time_zone?: string | null;
  /** The browser's user agent when the contact last started a conversation. */
  user_agent?: string | null;
  /** When the contact opted out of follow-ups, and how ('widget', 'email', 'agent'); null while they accept them. */
  follow_ups_opted_out_at?: string | null;
  follow_ups_opted_out_via?: string | null;
  /** The site's own user id, once verified by its HMAC; null for an anonymous visitor. */
  external_id?: string | null;
  verified_at?: string | null;
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
  /** Routing: the team whose queue holds it, priority 0–3, when it was queued and assigned, and why. */
  team_id?: string | null;
  priority?: number | null;
  queued_at?: string | null;
  assigned_at?: string | null;
  routing_rule?: string | null;
  routing_reason?: string | null;
  /** Auto-replies: JSON array of labels rules added. */
  labels?: string | null;
  /** Auto-replies: when a rule asked to hand the conversation over to a person. */
  handover_at?: string | null;
  /** The visitor's rating: a score of 1–5, an optional comment, and when it was (last) given. */
  rating_score?: number | null;
  rating_comment?: string | null;
  rated_at?: string | null;
  /** Seq of the visitor's latest message; an agent whose read mark is below it has it unread. */
  last_visitor_seq?: number;
  /** Highest seq the visitor has seen, and the highest any agent has seen. */
  visitor_read_seq?: number;
  agent_read_seq?: number;
  /** Open conversations: `agent` when the visitor wrote last, `visitor` (pending) when an agent did. */
  awaiting?: 'agent' | 'visitor' | null;
  last_message_author_id?: string | null;
  last_message_author_name?: string | null;
  /** Seq of the latest agent message. */
  last_agent_seq?: number;
  /** Since when agent messages wait unseen by the visitor; null once seen or emailed. */
  unseen_since?: string | null;
  /** Highest seq an email to the visitor has covered. */
  emailed_seq?: number;
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
  /** JSON: the Attachment the message carries, if any. */
  attachment?: string | null;
}

export interface AgentsTable {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  password_hash: string;
  created_at: string;
  updated_at: string;
  /** JSON array of language tags; null means the config's or none. */
  languages?: string | null;
  capacity?: number | null;
  /** online | away | offline; null reads as offline. */
  presence?: string | null;
  /** 1 when the agent chose away/offline themselves (a new tab does not undo it). */
  presence_manual?: number | null;
  presence_changed_at?: string | null;
  /** When the agent's last console tab went away; null while one is open. */
  tabs_gone_at?: string | null;
  last_seen_at?: string | null;
  /** When an admin deactivated the agent (they left): no sign-in, no routing; null while active. */
  deactivated_at?: string | null;
  /** For round robin: the least recently given agent goes first. */
  last_assigned_at?: string | null;
}

export interface AgentSessionsTable {
  /** SHA-256 (hex) of the cookie value. */
  id_hash: string;
  agent_id: string;
  created_at: string;
  expires_at: string;
  /** The browser that signed in, for the agent's list of sessions. */
  user_agent?: string | null;
  /** When the session last authenticated a request or socket (updated at most every few minutes). */
  last_used_at?: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Generated<string>;
}

export interface TeamsTable {
  id: string;
  name: string;
  /** Since when no member has been online; null while someone is. */
  nobody_online_since: string | null;
  updated_at: string;
}

export interface TeamMembersTable {
  team_id: string;
  /** Members are named by email so the config can list agents before their accounts exist. */
  email: string;
  /** `config` (replaced at each start-up) or `console`. */
  source: 'config' | 'console';
}

/** Every routing decision, for audit and tests: assigned, unassigned, queued, transferred, closed, reopened. */
export interface RoutingEventsTable {
  id: string;
  conversation_id: string;
  kind: string;
  agent_id: string | null;
  team_id: string | null;
  actor_id: string | null;
  note: string | null;
  /** The agent's open conversations right after an assignment, counted in its transaction. */
  load_after: number | null;
  created_at: string;
}

/** Admins' edits of auto-replies, one JSON document per scope; they take precedence over the config file. */
export interface AutoReplySettingsTable {
  /** `quick-replies`, `rules`, `schedules` or `site:<id>`. */
  scope: string;
  value: string;
  updated_at: string;
  updated_by: string | null;
}

/** Admins' edits of a site's survey, texts, looks and languages; they take precedence over the config file. */
export interface SiteSettingsTable {
  site_id: string;
  /** JSON: the editable part of the site's config (see services/site-settings.ts). */
  value: string;
  updated_at: string;
  updated_by: string | null;
}

/** How far each agent has read each conversation (unread = the visitor's latest seq above it). */
export interface ConversationReadsTable {
  conversation_id: string;
  agent_id: string;
  seq: number;
  read_at: string;
}

/** Private notes: agents only, never in the messages table, so no visitor query can reach them. */
export interface NotesTable {
  id: string;
  conversation_id: string;
  client_id: string;
  agent_id: string;
  author_name: string;
  text: string;
  created_at: string;
}

/** The label catalogue agents pick from (admins manage it). */
export interface LabelsTable {
  name: string;
  color: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

/** Labels on conversations, for filtering by label from an index (`conversations.labels` keeps the JSON for display). */
export interface ConversationLabelsTable {
  conversation_id: string;
  label: string;
  created_at: string;
}

/** Uploaded files; the bytes live in attachment storage under `storage_key`. */
export interface AttachmentsTable {
  id: string;
  conversation_id: string;
  name: string;
  type: string;
  size: number;
  storage_key: string;
  thumbnail_key: string | null;
  uploader_type: 'visitor' | 'agent';
  uploader_id: string;
  created_at: string;
}

/** Pages a visitor saw while a conversation lived. */
export interface PageViewsTable {
  id: string;
  conversation_id: string;
  url: string;
  title: string | null;
  seen_at: string;
}

/** Every opt-out and opt-in of follow-ups, kept as proof like consent. */
export interface FollowUpConsentsTable {
  id: string;
  contact_id: string;
  action: 'opt_out' | 'opt_in';
  via: 'widget' | 'email' | 'agent';
  detail: string | null;
  created_at: string;
}

/** A follow-up an agent scheduled for the contact's daytime; sent once by the scheduler. */
export interface ScheduledMessagesTable {
  id: string;
  conversation_id: string;
  agent_id: string;
  agent_name: string;
  client_id: string;
  text: string;
  send_at: string;
  status: 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed';
  message_id: string | null;
  error: string | null;
  attempts: number;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

/** Emails waiting to be delivered (or delivered), with their retries. */
export interface EmailOutboxTable {
  id: string;
  kind: 'unseen' | 'transcript';
  site_id: string;
  contact_id: string;
  conversation_id: string;
  to_address: string;
  language: string;
  from_seq: number;
  to_seq: number;
  status: 'pending' | 'sending' | 'sent' | 'cancelled' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  message_id: string | null;
  created_at: string;
  sent_at: string | null;
}

/** Agents' sensitive actions, for admins to read later. */
export interface AuditLogTable {
  id: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  created_at: string;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  description: string | null;
  /** `whsec_<base64>`: the Standard Webhooks signing secret, shown to the admin once at creation. */
  secret: string;
  /** JSON array of the event types it receives. */
  events: string;
  enabled: number;
  /** 1: the owner allowed a private, loopback or link-local target. */
  allow_private: number;
  /** Why it was disabled (by an admin, or after failing for too long); null while enabled. */
  disabled_reason: string | null;
  /** When its deliveries began failing without a success since; null while healthy. */
  failing_since: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  seq: number;
  endpoint_id: string;
  /** The Standard Webhooks `webhook-id`: the same for every retry of one delivery. */
  event_id: string;
  event_type: string;
  /** Deliveries with the same key (a conversation, a contact) go out to an endpoint in `seq` order. */
  ordering_key: string;
  /** The JSON body, as signed and sent. */
  payload: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_response: string | null;
  last_error: string | null;
  last_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart in lists (`parley_AbC1…`). */
  prefix: string;
  /** SHA-256 (hex) of the whole key; the key itself is shown once and never stored. */
  key_hash: string;
  /** JSON array of 'read' | 'write' | 'admin'. */
  scopes: string;
  /** The agent (an admin when created) whose rights the key carries, within its scopes. */
  agent_id: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
