import type { FieldIssue, FieldType, Localized } from '../../../protocol/src/index';
import { SURVEY_TEXTS, type SurveyFieldValue, type SurveyTextKey, type SurveyValue } from '../survey-api';
import { splitList } from '../lib/lists';

/**
 * The survey editor's draft: the config's survey in a shape forms edit well.
 * Every text is a table of language → text, numbers are kept as typed, and
 * what the editor does not know (keys a newer config gains) is carried
 * through untouched. `toValue` writes it back as the config file would; the
 * server, not the editor, decides what is valid, and its issues name paths in
 * that written form (`prechat.fields[2].label.es`).
 */

/** A text per language tag. */
export type Texts = Record<string, string>;

export type PageSource = '' | 'url' | 'path' | 'title' | 'referrer';

export interface OptionDraft {
  uid: string;
  value: string;
  label: Texts;
}

export interface FieldDraft {
  /** Stable across moves, for list keys and element ids. */
  uid: string;
  key: string;
  type: FieldType;
  required: boolean;
  label: Texts;
  placeholder: Texts;
  help: Texts;
  options: OptionDraft[];
  /** As typed; empty: no limit. */
  maxLength: string;
  /** Text (or an option's value); true/false for a checkbox. */
  default: string | boolean;
  pattern: string;
  patternError: Texts;
  sourceParam: string;
  sourcePage: PageSource;
  /** The field as loaded, so keys the editor does not know survive a save. */
  base: Record<string, unknown>;
}

export interface SurveyDraft {
  defaultLanguage: string;
  /** As typed, comma-separated; empty: every language the texts are written in. */
  languages: string;
  texts: Record<SurveyTextKey, Texts>;
  theme: { primary: string; onPrimary: string; position: string; offsetX: string; offsetY: string; launcher: string; mode: string };
  fields: FieldDraft[];
  consent: { enabled: boolean; required: boolean; text: Texts; policyUrl: string };
  base: Record<string, unknown>;
}

let next = 0;
const uid = (): string => `d${(++next).toString(36)}`;

/** A text given once counts for every language: the table shows it under the default language. */
function textsOf(text: Localized | undefined, lang: string): Texts {
  if (text === undefined) return {};
  return typeof text === 'string' ? { [lang]: text } : { ...text };
}

/** Empty texts are left out; an empty table is no text at all. */
function localized(texts: Texts): Record<string, string> | undefined {
  const out = Object.fromEntries(Object.entries(texts).filter(([, t]) => t.trim() !== ''));
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Numbers as typed: whole numbers become numbers, anything else goes as typed for the server to name. */
const numberOf = (typed: string): number | string | undefined => (typed.trim() === '' ? undefined : /^-?\d+$/.test(typed.trim()) ? Number(typed) : typed);

/** Which settings apply to a type of field. */
export const hasOptions = (type: FieldType): boolean => type === 'select' || type === 'radio';
export const hasPattern = (type: FieldType): boolean => type === 'text' || type === 'textarea' || type === 'hidden';
export const hasPlaceholder = (type: FieldType): boolean => !['checkbox', 'radio', 'hidden'].includes(type);
export const hasMaxLength = (type: FieldType): boolean => !['checkbox', 'select', 'radio'].includes(type);

export function fieldDraft(f: SurveyFieldValue, lang: string): FieldDraft {
  return {
    uid: uid(),
    key: f.key,
    type: f.type,
    required: f.required ?? false,
    label: textsOf(f.label, lang),
    placeholder: textsOf(f.placeholder, lang),
    help: textsOf(f.help, lang),
    options: (f.options ?? []).map((o) => ({ uid: uid(), value: o.value, label: textsOf(o.label, lang) })),
    maxLength: f.maxLength === undefined ? '' : String(f.maxLength),
    default: f.default ?? (f.type === 'checkbox' ? false : ''),
    pattern: f.pattern ?? '',
    patternError: textsOf(f.patternError, lang),
    sourceParam: f.source?.param ?? '',
    sourcePage: f.source?.page ?? '',
    base: { ...f },
  };
}

/** The draft of a survey as the server sent it. */
export function fromValue(value: SurveyValue): SurveyDraft {
  const lang = value.defaultLanguage;
  const consent = value.prechat.consent;
  const t = value.theme;
  return {
    defaultLanguage: lang,
    languages: (value.languages ?? []).join(', '),
    texts: Object.fromEntries(SURVEY_TEXTS.map((k) => [k, textsOf(value.texts[k], lang)])) as Record<SurveyTextKey, Texts>,
    theme: {
      primary: t.primary,
      onPrimary: t.onPrimary,
      position: t.position,
      offsetX: String(t.offsetX ?? ''),
      offsetY: String(t.offsetY ?? ''),
      launcher: t.launcher ?? 'icon',
      mode: t.mode ?? 'light',
    },
    fields: value.prechat.fields.map((f) => fieldDraft(f, lang)),
    consent: {
      enabled: consent !== null,
      required: consent?.required ?? true,
      text: textsOf(consent?.text, lang),
      policyUrl: consent?.policyUrl ?? '',
    },
    base: { ...value },
  };
}

function fieldValue(f: FieldDraft): Record<string, unknown> {
  const out: Record<string, unknown> = { ...f.base, key: f.key, type: f.type, label: localized(f.label) ?? {}, required: f.required };
  const set = (key: string, v: unknown) => {
    if (v === undefined || v === '') delete out[key];
    else out[key] = v;
  };
  set('placeholder', hasPlaceholder(f.type) ? localized(f.placeholder) : undefined);
  set('help', localized(f.help));
  set('options', hasOptions(f.type) ? f.options.map((o) => ({ value: o.value, label: localized(o.label) ?? {} })) : undefined);
  set('maxLength', hasMaxLength(f.type) ? numberOf(f.maxLength) : undefined);
  set('default', f.type === 'checkbox' ? (f.default === true ? true : undefined) : typeof f.default === 'string' ? f.default : undefined);
  set('pattern', hasPattern(f.type) ? f.pattern : undefined);
  set('patternError', hasPattern(f.type) && f.pattern ? localized(f.patternError) : undefined);
  const source = { ...(f.sourceParam ? { param: f.sourceParam } : {}), ...(f.sourcePage ? { page: f.sourcePage } : {}) };
  set('source', f.type === 'hidden' && Object.keys(source).length > 0 ? source : undefined);
  return out;
}

/** The draft written back as the config file writes a site's survey. */
export function toValue(d: SurveyDraft): Record<string, unknown> {
  const out: Record<string, unknown> = { ...d.base, defaultLanguage: d.defaultLanguage.trim() };
  const languages = splitList(d.languages);
  if (languages.length > 0) out.languages = languages;
  else delete out.languages;
  const texts: Record<string, unknown> = { ...(d.base.texts as object) };
  for (const k of SURVEY_TEXTS) {
    const text = localized(d.texts[k]);
    if (text) texts[k] = text;
    else delete texts[k];
  }
  out.texts = texts;
  const theme: Record<string, unknown> = { ...(d.base.theme as object), ...d.theme };
  for (const k of ['offsetX', 'offsetY'] as const) {
    const n = numberOf(d.theme[k]);
    if (n === undefined) delete theme[k];
    else theme[k] = n;
  }
  out.theme = theme;
  const consent = d.consent.enabled
    ? { required: d.consent.required, text: localized(d.consent.text) ?? {}, policyUrl: d.consent.policyUrl.trim() || null }
    : null;
  out.prechat = { ...(d.base.prechat as object), fields: d.fields.map(fieldValue), consent };
  return out;
}

/** The languages the editor offers a row for: the owner's list, else every language used, the default first. */
export function draftLanguages(d: SurveyDraft): string[] {
  const listed = splitList(d.languages);
  const found = new Set<string>([d.defaultLanguage.trim() || 'en', ...listed]);
  if (listed.length === 0) {
    const visit = (t: Texts) => Object.keys(t).forEach((l) => found.add(l));
    Object.values(d.texts).forEach(visit);
    for (const f of d.fields) [f.label, f.placeholder, f.help, f.patternError, ...f.options.map((o) => o.label)].forEach(visit);
    visit(d.consent.text);
  }
  return [...found];
}

/** A new field: a text field with a key not yet used. */
export function addField(d: SurveyDraft): SurveyDraft {
  const keys = new Set(d.fields.map((f) => f.key));
  let n = d.fields.length + 1;
  while (keys.has(`field${n}`)) n++;
  return { ...d, fields: [...d.fields, fieldDraft({ key: `field${n}`, type: 'text', label: {} }, d.defaultLanguage)] };
}

export function removeField(d: SurveyDraft, index: number): SurveyDraft {
  return { ...d, fields: d.fields.filter((_, i) => i !== index) };
}

/** Moves a field one place up (-1) or down (+1); at either end nothing changes. */
export function moveField(d: SurveyDraft, index: number, by: -1 | 1): SurveyDraft {
  const to = index + by;
  if (to < 0 || to >= d.fields.length) return d;
  const fields = [...d.fields];
  [fields[index], fields[to]] = [fields[to] as FieldDraft, fields[index] as FieldDraft];
  return { ...d, fields };
}

export function updateField(d: SurveyDraft, index: number, patch: Partial<FieldDraft>): SurveyDraft {
  return { ...d, fields: d.fields.map((f, i) => (i === index ? { ...f, ...patch } : f)) };
}

export function addOption(d: SurveyDraft, index: number): SurveyDraft {
  const f = d.fields[index];
  if (!f) return d;
  return updateField(d, index, { options: [...f.options, { uid: uid(), value: `option${f.options.length + 1}`, label: {} }] });
}

export function updateOption(d: SurveyDraft, index: number, option: number, patch: Partial<OptionDraft>): SurveyDraft {
  const f = d.fields[index];
  if (!f) return d;
  return updateField(d, index, { options: f.options.map((o, i) => (i === option ? { ...o, ...patch } : o)) });
}

export function removeOption(d: SurveyDraft, index: number, option: number): SurveyDraft {
  const f = d.fields[index];
  if (!f) return d;
  return updateField(d, index, { options: f.options.filter((_, i) => i !== option) });
}

/** The name a person knows a field by: its label in the default language, else its key. */
export function fieldName(f: FieldDraft, lang: string): string {
  return (f.label[lang] ?? Object.values(f.label)[0] ?? '').trim() || f.key || 'new field';
}

/** The issue at exactly this path, if any. */
export function issueAt(issues: FieldIssue[], path: string): string | undefined {
  return issues.find((i) => i.path === path)?.message;
}

/** The issues at this path or inside it (`prechat.fields[2]` holds `prechat.fields[2].label.es`). */
export function issuesUnder(issues: FieldIssue[], path: string): FieldIssue[] {
  return issues.filter((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`));
}
