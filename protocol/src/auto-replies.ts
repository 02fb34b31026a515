/** Shapes of auto-replies and quick replies as the widget and the console receive them. */

/** Whether the team is there now, as the widget header shows it. */
export interface SiteAvailability {
  /** Within business hours now (always true for a site without hours). */
  open: boolean;
  /** The owner's words for how soon a reply comes, e.g. "within a few minutes"; '' when not set. */
  replyTime: string;
  /** ISO 8601 instant of the next opening while closed, else null; format it in the visitor's own zone. */
  nextOpen: string | null;
}

/** The site's business profile, for the widget. */
export interface BusinessProfile {
  name: string;
  address: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  /** The weekly hours in words, in the visitor's language: "Mon–Fri 09:00–18:00". '' without hours. */
  hours: string;
  /** IANA zone of those hours, or null without hours. */
  timeZone: string | null;
}

/** A quick reply ready for one conversation: variables already filled in. */
export interface QuickReply {
  shortcut: string;
  title: string | null;
  /** Team the reply belongs to, or null for everyone. */
  teamId: string | null;
  /** The text as written, with its `{{variables}}`. */
  template: string;
  /** The text for this conversation, ready to send. */
  text: string;
}

/** What an admin edits: one scope of the auto-reply settings. */
export type AutoReplyScope = 'quick-replies' | 'rules' | 'schedules' | `site:${string}`;

/** One scope as the admin screen shows it. */
export interface AutoReplySetting {
  scope: AutoReplyScope;
  /** `database` once an admin saved it; `file` while the config file's value applies. */
  source: 'file' | 'database';
  /** The value in force. */
  value: unknown;
  /** The config file's value, to compare with or go back to. */
  file: unknown;
  updatedAt: string | null;
  updatedBy: string | null;
}
