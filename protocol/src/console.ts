import type { FollowUpOptOut } from './follow-ups';
import * as v from 'valibot';
import { Limits } from './limits';
import { ClientIdSchema, IdSchema, MessageTextSchema } from './schemas';
import { TeamIdSchema } from './routing';

/**
 * The agent console's contract beyond plain chat: inbox pages and counts,
 * search, history pages, private notes, labels, typing, read marks, the
 * contact's profile and the conversation's timeline of events.
 */

/** Inbox status filter: `pending` is open and waiting on the visitor (an agent wrote last). */
export const INBOX_STATUSES = ['open', 'pending', 'closed', 'all'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/** A label's name as agents see and type it. */
export const LabelNameSchema = v.pipe(
  v.string('expected a label'),
  v.trim(),
  v.nonEmpty('expected a label'),
  v.maxLength(40, 'a label may have at most 40 characters'),
  v.check((s) => !/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(s), 'a label may not hold control or direction characters'),
);

export const LabelColorSchema = v.pipe(v.string('expected a colour'), v.regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour such as #1f883d'));

/** A label of the site's catalogue (admins manage it; agents pick from it). */
export interface Label {
  name: string;
  color: string;
  description: string | null;
}

/** `POST /api/v1/labels` and `PUT /api/v1/labels/:name` (admins). */
export const LabelInputSchema = v.object({
  name: LabelNameSchema,
  color: LabelColorSchema,
  description: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(200, 'a description may have at most 200 characters'))), null),
});
export type LabelInput = v.InferOutput<typeof LabelInputSchema>;

/** `inbox:list`: one page of a view, most recent activity first. */
export const InboxQuerySchema = v.object({
  status: v.optional(v.picklist(INBOX_STATUSES, 'expected open, pending, closed or all'), 'open'),
  /** `mine`: assigned to the asking agent; `unassigned`: waiting for anyone; `all`. */
  view: v.optional(v.picklist(['mine', 'unassigned', 'all'], 'expected mine, unassigned or all'), 'all'),
  /** Only this team's conversations. */
  teamId: v.optional(v.nullable(TeamIdSchema)),
  /** Only conversations carrying this label. */
  label: v.optional(v.nullable(LabelNameSchema)),
  /** `nextCursor` of the previous page; absent for the first page. */
  cursor: v.optional(v.nullable(v.pipe(v.string('expected a cursor'), v.maxLength(200)))),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Limits.inboxPage)), 50),
});
export type InboxQuery = v.InferOutput<typeof InboxQuerySchema>;

/** Open conversations and how many of them are unread for the asking agent (never opened, or a visitor message after their read mark). */
export interface ViewCount {
  open: number;
  unread: number;
}

/** `inbox:counts`: per view and per team, open conversations only. */
export interface InboxCounts {
  mine: ViewCount;
  unassigned: ViewCount;
  all: ViewCount;
  teams: Record<string, ViewCount>;
}

/** `inbox:search`: contact name, email, phone, any survey answer (order ID…) and message text. */
export const SearchQuerySchema = v.object({
  q: v.pipe(v.string('expected text to search for'), v.trim(), v.nonEmpty('type something to search for'), v.maxLength(200, 'a search may have at most 200 characters')),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50)), 20),
});
export type SearchQuery = v.InferOutput<typeof SearchQuerySchema>;

/** `conversation:history`: messages before `beforeSeq`, newest page first (returned in seq order). */
export const HistoryQuerySchema = v.object({
  conversationId: IdSchema,
  beforeSeq: v.pipe(v.number(), v.integer(), v.minValue(1)),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Limits.syncPage)), 50),
});
export type HistoryQuery = v.InferOutput<typeof HistoryQuerySchema>;

/** `conversation:latest`: the last `limit` messages of a conversation (opening a long one). */
export const LatestQuerySchema = v.object({
  conversationId: IdSchema,
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Limits.syncPage)), 50),
});
export type LatestQuery = v.InferOutput<typeof LatestQuerySchema>;

/** `note:add`: a private note, for agents only; never sent to the visitor. */
export const AddNoteSchema = v.object({
  conversationId: IdSchema,
  clientId: ClientIdSchema,
  text: MessageTextSchema,
});
export type AddNote = v.InferOutput<typeof AddNoteSchema>;

/** A private note on a conversation. */
export interface Note {
  id: string;
  conversationId: string;
  clientId: string;
  authorId: string;
  authorName: string;
  text: string;
  createdAt: string;
}

/** `conversation:labels` / `contact:labels`: labels to add and to remove, from the site's catalogue. */
export const EditLabelsSchema = v.object({
  /** The conversation (for `conversation:labels`) or the contact (for `contact:labels`). */
  id: IdSchema,
  add: v.optional(v.pipe(v.array(LabelNameSchema), v.maxLength(20)), []),
  remove: v.optional(v.pipe(v.array(LabelNameSchema), v.maxLength(20)), []),
});
export type EditLabels = v.InferOutput<typeof EditLabelsSchema>;

export const AttributeKey = v.pipe(v.string(), v.trim(), v.nonEmpty('expected a name'), v.maxLength(40, 'a name may have at most 40 characters'), v.regex(/^[\p{L}\p{N}_ .-]+$/u, 'use letters, digits, space, _ . or -'));
export const AttributeValue = v.nullable(v.union([v.pipe(v.string(), v.maxLength(500, 'a value may have at most 500 characters')), v.number(), v.boolean()]));

/** `contact:attributes`: sets (or with null, removes) custom attributes of a contact. */
export const EditAttributesSchema = v.object({
  contactId: IdSchema,
  attributes: v.pipe(v.record(AttributeKey, AttributeValue), v.check((r) => Object.keys(r).length <= 50, 'at most 50 attributes')),
});
export type EditAttributes = v.InferOutput<typeof EditAttributesSchema>;

/** `typing` from a visitor: whether they are typing, with what they typed so far (kept only if the site shows previews). */
export const VisitorTypingSchema = v.object({
  conversationId: IdSchema,
  typing: v.boolean(),
  preview: v.optional(v.pipe(v.string(), v.maxLength(Limits.messageText)), ''),
});
export type VisitorTyping = v.InferOutput<typeof VisitorTypingSchema>;

/** `typing` from an agent. */
export const AgentTypingSchema = v.object({ conversationId: IdSchema, typing: v.boolean() });
export type AgentTyping = v.InferOutput<typeof AgentTypingSchema>;

/** `conversation:read`: the reader has seen every message up to `seq`. */
export const ReadMarkSchema = v.object({
  conversationId: IdSchema,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type ReadMark = v.InferOutput<typeof ReadMarkSchema>;

/** `page:view` from a visitor: a page seen while the conversation lives. */
export const PageViewSchema = v.object({
  conversationId: IdSchema,
  url: v.pipe(v.string(), v.maxLength(16_384), v.transform((u) => u.slice(0, 2048))),
  title: v.optional(v.pipe(v.string(), v.transform((t) => t.slice(0, 300))), ''),
});
export type PageView = v.InferOutput<typeof PageViewSchema>;

/** Server to agents: someone is (or stopped) typing in a conversation. */
export interface TypingEvent {
  conversationId: string;
  who: 'visitor' | 'agent';
  /** The agent's id, for agent typing. */
  agentId: string | null;
  name: string | null;
  typing: boolean;
  /** What the visitor has typed so far; only when the site enables previews. */
  preview: string | null;
}

/** Server to the visitor: an agent is (or stopped) typing. */
export interface VisitorTypingEvent {
  conversationId: string;
  name: string | null;
  typing: boolean;
}

/** Server to agents: read marks moved. */
export interface ReadEvent {
  conversationId: string;
  /** Highest seq the visitor has seen. */
  visitorReadSeq: number;
  /** The agent whose own mark moved (their other tabs clear the unread dot), or null for the visitor's. */
  agentId: string | null;
  agentReadSeq: number;
}

/** Server to the visitor: how far agents have read. */
export interface VisitorReadEvent {
  conversationId: string;
  agentReadSeq: number;
  /** The visitor's own mark (read in another tab): the widget's unread count is what is above it. */
  visitorReadSeq?: number;
}

/** Kinds of events on a conversation's timeline, shown as system lines in the console. */
export type TimelineKind = 'assigned' | 'unassigned' | 'queued' | 'transferred' | 'closed' | 'reopened' | 'labelled' | 'unlabelled' | 'rated' | 'claimed';

/** One event on a conversation's timeline (agents only). */
export interface TimelineEvent {
  id: string;
  conversationId: string;
  kind: TimelineKind | string;
  /** Who did it (an agent's name), or null for the system (routing, rules). */
  actorName: string | null;
  /** The agent it concerns (assignee), if any. */
  agentName: string | null;
  teamId: string | null;
  /** Transfer note, label name, or rating. */
  note: string | null;
  createdAt: string;
}

/** A page a visitor saw. */
export interface PageSeen {
  url: string;
  title: string | null;
  seenAt: string;
}

/** An earlier (or other) conversation of the same contact. */
export interface ContactConversation {
  id: string;
  status: 'open' | 'closed';
  inquiryType: string | null;
  lastMessageText: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the contact panel shows beyond the survey. */
export interface ContactProfile {
  labels: string[];
  attributes: Record<string, string | number | boolean>;
  /** IANA time zone from the visitor's browser, if known. */
  timeZone: string | null;
  userAgent: string | null;
  pages: PageSeen[];
  conversations: ContactConversation[];
  /** The contact opted out of follow-ups: when and how (kept as proof), or null. */
  followUpsOptedOut: FollowUpOptOut | null;
  /** The site's user id when the site verified this contact's identity (HMAC); null: anything they typed is unverified. */
  verifiedUserId?: string | null;
}

/** An uploaded file attached to a message. */
export interface Attachment {
  id: string;
  name: string;
  /** Content type as detected from the bytes. */
  type: string;
  size: number;
  /** Where agents and the conversation's visitor fetch it. */
  url: string;
  /** A small image preview, for images. */
  thumbnailUrl: string | null;
}

/** One line of the audit log as admins read it (`GET /api/v1/audit`). */
export interface AuditEntry {
  id: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  createdAt: string;
}
