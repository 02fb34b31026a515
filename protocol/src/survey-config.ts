import * as v from 'valibot';
import { Limits } from './limits';
import { FIELD_TYPES } from './survey';

/**
 * The survey schemas only the server runs: the owner's field definitions in the
 * site config and the body of a conversation start. They live apart from
 * `survey.ts` so the widget, which imports that module, does not ship them.
 */

/** A text the owner may give once or per language: `"Name"` or `{ "en": "Name", "es": "Nombre" }`. */
export const LocalizedSchema = v.union([
  v.pipe(v.string(), v.maxLength(2000)),
  v.pipe(
    v.record(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en or zh-CN')), v.pipe(v.string(), v.maxLength(2000))),
    v.check((r) => Object.keys(r).length > 0, 'expected at least one language'),
  ),
]);
export type Localized = v.InferOutput<typeof LocalizedSchema>;

/** Picks the text for a language: exact tag, then its base language, then English, then the first given. */
export function localize(text: Localized | undefined, lang: string): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  const base = lang.split('-')[0] ?? lang;
  return text[lang] ?? text[base] ?? text.en ?? Object.values(text)[0] ?? '';
}

export const FieldKeySchema = v.pipe(
  v.string(),
  v.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'expected a key of letters, digits and _ starting with a letter'),
);

const OptionSchema = v.object({
  value: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  label: LocalizedSchema,
});

export const FieldDefSchema = v.pipe(
  v.object({
    key: FieldKeySchema,
    type: v.picklist(FIELD_TYPES, `expected one of ${FIELD_TYPES.join(', ')}`),
    label: LocalizedSchema,
    required: v.optional(v.boolean(), false),
    placeholder: v.optional(LocalizedSchema),
    help: v.optional(LocalizedSchema),
    options: v.optional(v.pipe(v.array(OptionSchema), v.maxLength(100))),
    maxLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Limits.answerText))),
    /** The answer given before the visitor types: text, an option's value, or true/false for a checkbox. */
    default: v.optional(v.union([v.pipe(v.string(), v.maxLength(Limits.answerText)), v.boolean()])),
    /** A JavaScript regular expression the whole answer must match (text, textarea and hidden fields). */
    pattern: v.optional(v.pipe(v.string(), v.nonEmpty(), v.maxLength(200))),
    patternError: v.optional(LocalizedSchema),
    /** Hidden fields: where the page fills the value from (the JS API and `data-value-<key>` always may). */
    source: v.optional(
      v.object({
        param: v.optional(v.pipe(v.string(), v.regex(/^[\w.-]{1,64}$/, 'expected a URL parameter name'))),
        page: v.optional(v.picklist(['url', 'path', 'title', 'referrer'], 'expected one of url, path, title, referrer')),
      }),
    ),
  }),
  v.forward(
    v.check(
      (f) => !(f.type === 'select' || f.type === 'radio') || (f.options?.length ?? 0) > 0,
      'a select or radio field needs at least one option',
    ),
    ['options'],
  ),
  v.forward(
    v.check(
      (f) => f.pattern === undefined || f.type === 'text' || f.type === 'textarea' || f.type === 'hidden',
      'a pattern applies to text, textarea and hidden fields only',
    ),
    ['pattern'],
  ),
  v.forward(
    v.check((f) => f.source === undefined || f.type === 'hidden', 'only a hidden field has a source'),
    ['source'],
  ),
  v.forward(
    v.check(
      (f) => f.default === undefined || (f.type === 'checkbox') === (typeof f.default === 'boolean'),
      'a checkbox takes true or false as its default, other fields a text',
    ),
    ['default'],
  ),
  v.forward(
    v.check(
      (f) => typeof f.default !== 'string' || !(f.type === 'select' || f.type === 'radio') || !!f.options?.some((o) => o.value === f.default),
      "the default must be one of the options' values",
    ),
    ['default'],
  ),
);
export type FieldDef = v.InferOutput<typeof FieldDefSchema>;

/** The body of `POST /api/v1/sites/:siteId/conversations`. */
export const StartConversationSchema = v.object({
  answers: v.pipe(
    v.record(v.pipe(v.string(), v.maxLength(40)), v.union([v.pipe(v.string(), v.maxLength(Limits.answerText * 2)), v.number(), v.boolean()])),
    v.check((r) => Object.keys(r).length <= 50, 'too many answers'),
  ),
  consent: v.optional(v.boolean(), false),
  /** The page the chat started on; a longer address (tracking parameters) is kept to its first 2,048 characters. */
  pageUrl: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(16_384), v.transform((url) => url.slice(0, 2048))))),
  language: v.optional(v.pipe(v.string(), v.regex(/^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$/), v.maxLength(35))),
  /** The browser's IANA time zone, for the contact's local time; anything malformed is dropped. */
  timeZone: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64), v.transform((z) => (/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/.test(z) ? z : null))))),
  /** The site's signed-in user: its id and HMAC-SHA256(id, the site's identity secret) in hex. */
  identity: v.optional(
    v.object({
      userId: v.pipe(v.string('expected a user id'), v.minLength(1), v.maxLength(200)),
      hash: v.pipe(v.string('expected a hash'), v.regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex digits')),
    }),
  ),
});
export type StartConversation = v.InferOutput<typeof StartConversationSchema>;


/** A site's signed-in user id, as `ChatWidget.setUser` and the survey's `identity` carry it. */
export const UserIdSchema = v.pipe(v.string('expected a user id'), v.minLength(1, 'expected a user id'), v.maxLength(200, 'a user id may have at most 200 characters'));

/**
 * `POST /api/v1/sites/:siteId/identify` (`ChatWidget.setUser` with an `identifierHash`): the site's
 * user id, its HMAC-SHA256 with the site's identity secret, and what the site knows of them.
 */
export const IdentifySchema = v.object({
  userId: UserIdSchema,
  hash: v.pipe(v.string('expected a hash'), v.regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex digits')),
  name: v.optional(v.nullable(v.pipe(v.string('expected text'), v.trim(), v.maxLength(200, 'a name may have at most 200 characters')))),
  email: v.optional(v.nullable(v.pipe(v.string('expected text'), v.trim(), v.maxLength(320), v.email('expected an email address')))),
  phone: v.optional(v.nullable(v.pipe(v.string('expected text'), v.trim(), v.maxLength(40, 'a phone number may have at most 40 characters')))),
});
export type Identify = v.InferOutput<typeof IdentifySchema>;

/** What identify answers: a token when this browser needs a new one, the contact, and the conversation to show (the latest, open first). */
export interface IdentifyResult {
  token?: string;
  contactId: string;
  conversationId: string | null;
  /** This browser's anonymous contact was merged into the user's. */
  merged: boolean;
}
