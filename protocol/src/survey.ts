import type { FollowUpTexts } from './follow-ups';
import * as v from 'valibot';
import { Limits } from './limits';
import type { BusinessProfile, SiteAvailability } from './auto-replies';

/**
 * The pre-chat survey: the resolved form the widget receives, and the one
 * function that turns a list of fields into the valibot schema both the widget
 * and the server check answers with. The owner's field definitions are in
 * `survey-config.ts`, which the widget never imports.
 */

export const FIELD_TYPES = [
  'text',
  'textarea',
  'email',
  'phone',
  'number',
  'select',
  'radio',
  'checkbox',
  'hidden',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Keys whose answers land on the contact or conversation, not only in the survey. */
export const BUILTIN_KEYS = ['name', 'email', 'phone', 'orderId', 'inquiryType', 'language'] as const;

/** A field as the widget receives it: texts already in the visitor's language. */
export interface PublicField {
  key: string;
  type: FieldType;
  label: string;
  required: boolean;
  placeholder?: string;
  help?: string;
  options?: { value: string; label: string }[];
  maxLength?: number;
  /** The owner's default answer (a checkbox's is a boolean). */
  default?: string | boolean;
  /** A pattern the whole answer must match (JavaScript syntax, checked safe at start-up) and its error text. */
  pattern?: string;
  patternError?: string;
  /** Hidden fields only: where the page fills the value from, besides the JS API and `data-value-<key>`. */
  source?: HiddenSource;
}

/** Where a hidden field reads its value on the embedding page: a URL query parameter, or a fact of the page. */
export interface HiddenSource {
  param?: string;
  page?: 'url' | 'path' | 'title' | 'referrer';
}

export interface PublicConsent {
  required: boolean;
  text: string;
  policyUrl: string | null;
}

/** The messages the answer schema reports, in the visitor's language. */
export interface SurveyMessages {
  required: string;
  email: string;
  phone: string;
  number: string;
  tooLong: string;
  option: string;
  consent: string;
  /** Used when the owner gave a pattern without its own error text. */
  pattern: string;
}

export const ENGLISH_SURVEY_MESSAGES: SurveyMessages = {
  required: 'This field is required',
  email: 'Enter a valid email address',
  phone: 'Enter an international number, such as +1 555 123 4567',
  number: 'Enter a number',
  tooLong: 'This answer is too long',
  option: 'Choose one of the options',
  consent: 'Please accept to start the chat',
  pattern: 'Check the format of this answer',
};

/**
 * The widget's own words (not the owner's), in the visitor's language. The server
 * holds the translations and sends them with the site config, so the widget ships none.
 * `{time}`, `{day}`, `{n}`, `{name}` and `{max}` are filled in by the widget.
 */
export interface WidgetTexts {
  openChat: string;
  closeChat: string;
  loading: string;
  unavailable: string;
  online: string;
  /** "Typically replies {time}" */
  replies: string;
  away: string;
  /** "Back on {day} at {time}": the weekday and the time the team is back. */
  awayUntil: string;
  /**
   * `{day}` of `awayUntil` for each weekday, Sunday first, where the weekday's plain name does not
   * fit the sentence (Russian: «в среду»); absent: the widget's Intl name (`weekday: 'long'`).
   */
  weekdays?: [string, string, string, string, string, string, string];
  connecting: string;
  reconnecting: string;
  /** "You're number {n} in line" */
  queue: string;
  /** Accessible name of the message box. */
  message: string;
  send: string;
  sending: string;
  notSent: string;
  /** A status line while messages wait because the server said the visitor sends too fast. */
  tooFast: string;
  /** Accessible name of the attach button: "Attach a file". */
  attach: string;
  /** "{name} is typing…", while an agent types. */
  typing: string;
  /** Who is typing when the agent has no name: "Someone". */
  someone: string;
  /** Under the visitor's last message an agent has read: "Seen". */
  seen: string;
  /** Shown after a bot's name: "automated". */
  automated: string;
  /** Day separators in the message list; older days are dates. */
  today: string;
  yesterday: string;
  /** Under the message box once a draft passes the length limit: "… at most {max} characters". */
  tooLong: string;
  ended: string;
  startNew: string;
  privacyPolicy: string;
  /** The empty first option of a select. */
  choose: string;
  startFailed: string;
  /** The rating screen. */
  rateTitle: string;
  /** Names of the scores 1 to 5, worst first. */
  rateScores: [string, string, string, string, string];
  /** The rating was sent without a score. */
  ratePick: string;
  rateComment: string;
  rateSubmit: string;
  rateThanks: string;
  rateSkip: string;
}

const PHONE = /^\+[1-9]\d{6,14}$/;
const normalizePhone = (s: string): string => s.replace(/[\s().-]/g, '');

function answerSchema(field: PublicField, m: SurveyMessages): v.GenericSchema<unknown, string | number | boolean | undefined> {
  const max = field.maxLength ?? Limits.answerText;
  const optional = <T>(inner: v.GenericSchema<string, T>): v.GenericSchema<unknown, T | undefined> =>
    v.pipe(
      v.optional(v.string(m.required), ''),
      v.trim(),
      v.transform((s) => (s === '' ? undefined : s)),
      v.optional(inner),
    ) as v.GenericSchema<unknown, T | undefined>;
  const required = <T>(inner: v.GenericSchema<string, T>): v.GenericSchema<unknown, T> =>
    v.pipe(v.optional(v.string(m.required), ''), v.trim(), v.nonEmpty(m.required), inner) as v.GenericSchema<unknown, T>;
  const wrap = <T>(inner: v.GenericSchema<string, T>) => (field.required ? required(inner) : optional(inner));

  switch (field.type) {
    case 'email':
      return wrap(v.pipe(v.string(), v.maxLength(254, m.tooLong), v.email(m.email)));
    case 'phone':
      return wrap(v.pipe(v.string(), v.transform(normalizePhone), v.regex(PHONE, m.phone)));
    case 'number':
      return wrap(
        v.pipe(
          v.string(),
          v.regex(/^-?\d+(\.\d+)?$/, m.number),
          v.transform(Number),
          v.number(m.number),
          v.finite(m.number),
        ),
      );
    case 'select':
    case 'radio': {
      const values = (field.options ?? []).map((o) => o.value);
      return wrap(v.pipe(v.string(), v.picklist(values, m.option)));
    }
    case 'checkbox':
      return field.required
        ? v.pipe(v.optional(v.boolean(m.required), false), v.check((checked) => checked, m.required))
        : v.optional(v.boolean(m.required), false);
    default: {
      // text, textarea, hidden; the owner's pattern must match the whole answer
      const text = v.pipe(v.string(), v.maxLength(max, m.tooLong));
      return wrap(field.pattern ? v.pipe(text, v.regex(new RegExp(`^(?:${field.pattern})$`, 'u'), field.patternError || m.pattern)) : text);
    }
  }
}

/**
 * The schema of a survey submission's answers for these fields. The widget
 * runs it for inline errors and the server runs it again before storing.
 */
export function buildAnswersSchema(fields: PublicField[], m: SurveyMessages) {
  const entries: Record<string, v.GenericSchema<unknown, unknown>> = {};
  for (const field of fields) entries[field.key] = answerSchema(field, m);
  return v.object(entries);
}

export interface StartConversationResult {
  /** Present only when a new contact was made: the visitor's secret, shown once. */
  token?: string;
  contactId: string;
  conversationId: string;
}

export interface PublicTheme {
  primary: string;
  onPrimary: string;
  position: 'left' | 'right';
  /** Distance of the launcher from the side and from the bottom, in CSS pixels. */
  offsetX: number;
  offsetY: number;
  /** The launcher shows the chat icon, or the launcher text beside it. */
  launcher: 'icon' | 'text';
  /** Light or dark panel; `auto` follows the visitor's system setting. */
  mode: 'light' | 'dark' | 'auto';
}

/** What the widget fetches from `GET /api/v1/sites/:siteId/config?lang=`. */
/**
 * The little the loader needs to draw the launcher before anyone shows an interest in chatting
 * (`GET /api/v1/sites/:site/launcher`): its looks and its accessible names in the visitor's language.
 * The full config (the survey, every widget text) loads on intent, with the app.
 */
/** The launcher's settings: only what the loader reads (every byte is paid by every page view). */
export interface PublicLauncher {
  language: string;
  /** Only what differs from the loader's defaults (primary #2563eb on #ffffff, right, 20 px, icon, light). */
  theme: Partial<PublicTheme>;
  /** The launcher's text, shown when the theme asks for a text launcher. */
  launcher: string;
  /** The launcher's accessible name while the chat is closed, and while it is open. */
  openChat: string;
  closeChat: string;
}

export interface PublicSiteConfig {
  siteId: string;
  language: string;
  direction: 'ltr' | 'rtl';
  /** Every language the site's texts are written in, its default first. */
  languages: string[];
  texts: {
    title: string;
    greeting: string;
    launcher: string;
    startButton: string;
    placeholder: string;
    /** The title while the team is away. */
    offlineTitle: string;
  };
  theme: PublicTheme;
  prechat: {
    fields: PublicField[];
    consent: PublicConsent | null;
    /**
     * Keys of fields this visitor has already answered (sent only with the visitor's token):
     * the widget skips them and the server fills them in from the contact.
     */
    known?: string[];
  };
  messages: SurveyMessages;
  ui: WidgetTexts;
  /** Open or away now, and the owner's "typically replies …" text (present when the site has auto-replies). */
  availability?: SiteAvailability;
  /** The business profile (present when the site has auto-replies). */
  business?: BusinessProfile;
  /** The server sends email (SMTP is set up): the widget offers the transcript by email. Absent otherwise. */
  email?: boolean;
  /** The words of the unread badge, the preview bubble and the chat menu. */
  followUpTexts: FollowUpTexts;
}
