import * as v from 'valibot';
import { ClientIdSchema, IdSchema, MessageTextSchema } from './schemas';

/**
 * Conversations that go on after they close: an agent's follow-up (sent now, or
 * scheduled for the contact's daytime), the contact's opt-out, the unread badge a
 * returning visitor sees before the app loads, and the transcript by email.
 */

/** An instant as ISO 8601 with a zone (`2026-12-05T08:00:00.000Z`). */
const InstantSchema = v.pipe(v.string('expected a date and time'), v.isoTimestamp('expected an ISO date and time'));

/** Agent: send `text` to the conversation at `sendAt` (in the future, at most 30 days ahead). */
export const ScheduleFollowUpSchema = v.object({
  conversationId: IdSchema,
  clientId: ClientIdSchema,
  text: MessageTextSchema,
  sendAt: InstantSchema,
});
export type ScheduleFollowUp = v.InferOutput<typeof ScheduleFollowUpSchema>;

/** Agent: change a scheduled follow-up's text or time while it is still waiting. */
export const EditFollowUpSchema = v.object({
  id: IdSchema,
  text: v.optional(MessageTextSchema),
  sendAt: v.optional(InstantSchema),
});
export type EditFollowUp = v.InferOutput<typeof EditFollowUpSchema>;

export const FollowUpRefSchema = v.object({ id: IdSchema });
export type FollowUpRef = v.InferOutput<typeof FollowUpRefSchema>;

/** Visitor: accept follow-ups again, or opt out of them. */
export const SetFollowUpsSchema = v.object({ allow: v.boolean('expected true or false') });
export type SetFollowUps = v.InferOutput<typeof SetFollowUpsSchema>;

/** Visitor: email me this conversation. */
export const TranscriptRequestSchema = v.object({ conversationId: IdSchema });
export type TranscriptRequest = v.InferOutput<typeof TranscriptRequestSchema>;

/** Furthest ahead a follow-up may be scheduled. */
export const FOLLOW_UP_MAX_DAYS = 30;

export type ScheduledStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed';

/** A follow-up waiting for its time (or what became of it). */
export interface ScheduledMessage {
  id: string;
  conversationId: string;
  agentId: string;
  agentName: string;
  text: string;
  sendAt: string;
  status: ScheduledStatus;
  /** The message it became, once sent. */
  messageId: string | null;
  /** Why it could not be sent ('failed'). */
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** The contact's opt-out of follow-ups: when and how, or null while they accept them. */
export interface FollowUpOptOut {
  at: string;
  via: 'widget' | 'email' | 'agent';
}

/**
 * When a message to the contact is welcome, computed by the server for now: the contact's
 * local time in their time zone, whether that is outside the site's daytime window (or
 * business hours, when the site asks for them), and when the next good time is.
 */
export interface FollowUpTiming {
  timeZone: string | null;
  /** The contact's wall-clock time now, `HH:MM`; null without a time zone. */
  localTime: string | null;
  /** True when now is outside the window: the composer offers `suggestedAt`. */
  outside: boolean;
  /** 'window': the daytime window; 'hours': the site's business hours. */
  rule: 'window' | 'hours';
  /** The window, `HH:MM`–`HH:MM` in the contact's zone. */
  window: { start: string; end: string };
  /** The next good time (an instant); null when now is fine or nothing is known. */
  suggestedAt: string | null;
  /** The same instant as the contact's wall clock, e.g. `Sat 08:00`. */
  suggestedLocal: string | null;
  /** The contact opted out of follow-ups: no follow-up may be written. */
  optedOut: FollowUpOptOut | null;
}

/** What the loader asks, for a browser that has chatted before: is there anything unread? */
export interface UnreadSummary {
  /** Agent messages the visitor has not seen, over their recent conversations. */
  unread: number;
  /** The conversation to open: the one with the latest unread message, else the latest. */
  conversationId: string | null;
  /** Whether that conversation is open (then the loader connects at once). */
  open: boolean;
  /** The latest unread agent message, for the preview bubble. */
  latest: { id: string; seq: number; authorName: string | null; text: string } | null;
  /** The badge's words in the language the loader asked for (`?lang=`): the app and its config are not loaded yet. */
  texts?: Pick<FollowUpTexts, 'unread' | 'dismiss'>;
}

/**
 * The widget's words for what happens after a chat, in the visitor's language (sent with the
 * site config as `followUpTexts`). `unread` has one text per plural category (`other` always),
 * chosen with Intl.PluralRules; `{n}` is the count, `{name}` a person.
 */
export interface FollowUpTexts {
  unread: Partial<Record<'zero' | 'one' | 'two' | 'few' | 'many', string>> & { other: string };
  /** The preview bubble's close button. */
  dismiss: string;
  /** The chat header's menu button. */
  menu: string;
  stop: string;
  allow: string;
  /** Said once the visitor opted out. */
  stopped: string;
  transcript: string;
  transcriptSent: string;
  /** "Delete my data": everything the site holds about the visitor, and their consent withdrawn. */
  erase: string;
  eraseConfirm: string;
}
