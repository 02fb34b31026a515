import * as v from 'valibot';
import { Limits } from './limits';

/**
 * The pre-chat survey: field definitions as the site owner writes them, the
 * resolved form the widget receives, and the one function that turns a list
 * of fields into the valibot schema both the widget and the server check
 * answers with.
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
  }),
  v.check(
    (f) => !(f.type === 'select' || f.type === 'radio') || (f.options?.length ?? 0) > 0,
    'a select or radio field needs at least one option',
  ),
);
export type FieldDef = v.InferOutput<typeof FieldDefSchema>;

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
}

export const ENGLISH_SURVEY_MESSAGES: SurveyMessages = {
  required: 'This field is required',
  email: 'Enter a valid email address',
  phone: 'Enter an international number, such as +1 555 123 4567',
  number: 'Enter a number',
  tooLong: 'This answer is too long',
  option: 'Choose one of the options',
  consent: 'Please accept to start the chat',
};

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
    default:
      return wrap(v.pipe(v.string(), v.maxLength(max, m.tooLong)));
  }
}

/**
 * The schema of a survey submission's answers for these fields. The widget
 * runs it for inline errors and the server runs it again before storing.
 */
export function buildAnswersSchema(fields: PublicField[], m: SurveyMessages = ENGLISH_SURVEY_MESSAGES) {
  const entries: Record<string, v.GenericSchema<unknown, unknown>> = {};
  for (const field of fields) entries[field.key] = answerSchema(field, m);
  return v.object(entries);
}

/** The body of `POST /api/v1/sites/:siteId/conversations`. */
export const StartConversationSchema = v.object({
  answers: v.pipe(
    v.record(v.pipe(v.string(), v.maxLength(40)), v.union([v.pipe(v.string(), v.maxLength(Limits.answerText * 2)), v.number(), v.boolean()])),
    v.check((r) => Object.keys(r).length <= 50, 'too many answers'),
  ),
  consent: v.optional(v.boolean(), false),
  pageUrl: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(2048)))),
  language: v.optional(v.pipe(v.string(), v.regex(/^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$/), v.maxLength(35))),
});
export type StartConversation = v.InferOutput<typeof StartConversationSchema>;

export interface StartConversationResult {
  /** Present only when a new contact was made: the visitor's secret, shown once. */
  token?: string;
  contactId: string;
  conversationId: string;
}

/** What the widget fetches from `GET /api/v1/sites/:siteId/config?lang=`. */
export interface PublicSiteConfig {
  siteId: string;
  language: string;
  direction: 'ltr' | 'rtl';
  texts: {
    title: string;
    greeting: string;
    launcher: string;
    startButton: string;
    placeholder: string;
  };
  theme: {
    primary: string;
    onPrimary: string;
    position: 'left' | 'right';
  };
  prechat: {
    fields: PublicField[];
    consent: PublicConsent | null;
  };
  messages: SurveyMessages;
}
