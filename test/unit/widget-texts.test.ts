import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  ENGLISH_SURVEY_MESSAGES,
  type SurveyMessages,
  type WidgetTexts,
  buildAnswersSchema,
} from '../../protocol/src/index';
import {
  WIDGET_LANGUAGES,
  surveyMessages,
  widgetLanguage,
  widgetTexts,
} from '../../server/src/i18n/widget-texts';

const english = widgetTexts('en');
const textKeys = Object.keys(english) as (keyof WidgetTexts)[];
const messageKeys = Object.keys(ENGLISH_SURVEY_MESSAGES) as (keyof SurveyMessages)[];
const others = WIDGET_LANGUAGES.filter((lang) => lang !== 'en');

/** Every string of a language, named by its key, rate scores one by one. */
function strings(lang: string): [string, string][] {
  const texts = Object.entries(widgetTexts(lang)).flatMap(([key, value]): [string, string][] =>
    Array.isArray(value) ? value.map((s, i) => [`${key}[${i}]`, s]) : [[key, value as string]],
  );
  const messages = Object.entries(surveyMessages(lang)).map(([key, s]): [string, string] => [`messages.${key}`, s]);
  return [...texts, ...messages];
}

const placeholders = (s: string): string[] => (s.match(/\{[^}]*\}/g) ?? []).sort();

describe('the widget text catalogue', () => {
  it('lists ten languages, English first', () => {
    expect(WIDGET_LANGUAGES).toEqual(['en', 'es', 'de', 'fr', 'pt', 'ru', 'zh-CN', 'zh-TW', 'ja', 'ar']);
  });

  it('uses the protocol’s English survey messages for English', () => {
    expect(surveyMessages('en')).toEqual(ENGLISH_SURVEY_MESSAGES);
  });

  it.each(WIDGET_LANGUAGES)('gives %s every key of the widget texts and survey messages, none empty', (lang) => {
    const texts = widgetTexts(lang);
    const messages = surveyMessages(lang);
    // `weekdays` is optional: only a language whose sentence changes the weekday's form has it
    expect(Object.keys(texts).filter((key) => key !== 'weekdays').sort()).toEqual([...textKeys].sort());
    expect(Object.keys(messages).sort()).toEqual([...messageKeys].sort());
    for (const [key, s] of strings(lang)) {
      expect(typeof s, `${lang} ${key}`).toBe('string');
      expect(s.trim(), `${lang} ${key}`).not.toBe('');
      expect(s, `${lang} ${key} has no edge whitespace`).toBe(s.trim());
    }
  });

  it.each(WIDGET_LANGUAGES)('keeps in %s exactly the placeholders the English has, key by key', (lang) => {
    const en = new Map(strings('en'));
    for (const [key, s] of strings(lang)) {
      expect(placeholders(s), `${lang} ${key}`).toEqual(placeholders(en.get(key) ?? ''));
    }
    expect(widgetTexts(lang).replies).toContain('{time}');
    expect(widgetTexts(lang).awayUntil).toContain('{time}');
    expect(widgetTexts(lang).queue).toContain('{n}');
  });

  it.each(WIDGET_LANGUAGES)('names five distinct rating scores in %s', (lang) => {
    const scores = widgetTexts(lang).rateScores;
    expect(scores).toHaveLength(5);
    expect(new Set(scores).size).toBe(5);
  });

  it.each(WIDGET_LANGUAGES)('holds no HTML in %s', (lang) => {
    for (const [key, s] of strings(lang)) expect(s, `${lang} ${key}`).not.toMatch(/[<>]/);
  });

  it.each(others)('translates %s rather than copying the English', (lang) => {
    const en = new Map(strings('en'));
    const same = strings(lang).filter(([key, s]) => en.get(key) === s).map(([key]) => key);
    // a few words are the same in some languages ("Online", "Message", "OK")
    expect(same.length, `${lang}: ${same.join(', ')}`).toBeLessThanOrEqual(2);
  });

  it('writes every Arabic text in Arabic script with Arabic punctuation', () => {
    for (const [key, s] of strings('ar')) {
      expect(s, key).toMatch(/\p{Script=Arabic}/u);
      expect(s, key).not.toMatch(/[?,;]/);
    }
    expect(widgetTexts('ar').rateTitle).toMatch(/؟$/);
  });

  it.each(['zh-CN', 'zh-TW', 'ja'])('writes %s with full-width punctuation', (lang) => {
    for (const [key, s] of strings(lang)) {
      expect(s, `${lang} ${key}`).toMatch(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u);
      expect(s, `${lang} ${key}`).not.toMatch(/[?!,:;()]|\.$/);
    }
  });

  it('writes Japanese with kana and keeps Simplified and Traditional Chinese apart', () => {
    expect(widgetTexts('ja').openChat).toMatch(/\p{Script=Katakana}/u);
    const cn = widgetTexts('zh-CN');
    const tw = widgetTexts('zh-TW');
    const differing = textKeys.filter((key) => JSON.stringify(cn[key]) !== JSON.stringify(tw[key]));
    expect(differing.length).toBeGreaterThan(textKeys.length / 2);
    expect(tw.openChat).toBe('開啟聊天');
  });

  it('follows French, Spanish and German punctuation', () => {
    const fr = widgetTexts('fr');
    for (const s of [fr.rateTitle, fr.rateComment, fr.rateThanks]) expect(s).toMatch(/\u202f[?!]/);
    expect(fr.queue).toContain('\u00a0:');
    const es = widgetTexts('es');
    expect(es.rateTitle.startsWith('¿')).toBe(true);
    expect(es.rateThanks.startsWith('¡')).toBe(true);
    // German sets a spaced ellipsis that never wraps onto a line of its own
    for (const s of Object.values(widgetTexts('de')).flat()) expect(s).not.toMatch(/[^\u00a0]…/);
  });

  it.each(WIDGET_LANGUAGES)('gives in %s a phone example that the phone check accepts', (lang) => {
    const messages = surveyMessages(lang);
    const example = messages.phone.match(/\+[\d ()-]*\d/)?.[0];
    expect(example, messages.phone).toBeDefined();
    const schema = buildAnswersSchema([{ key: 'phone', type: 'phone', label: 'Phone', required: true }], messages);
    expect(v.safeParse(schema, { phone: example }).success).toBe(true);
  });

  it('feeds the answer schema so errors come back in the visitor’s language', () => {
    const schema = buildAnswersSchema(
      [{ key: 'email', type: 'email', label: 'Correo', required: true }],
      surveyMessages('es-MX'),
    );
    const result = v.safeParse(schema, { email: '<script>alert(1)</script>' });
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toBe('Introduzca una dirección de correo electrónico válida');
    const missing = v.safeParse(schema, {});
    expect(missing.issues?.[0]?.message).toBe('Este campo es obligatorio');
  });

  it('hands out copies, so one caller’s changes never reach the next', () => {
    const first = widgetTexts('de');
    first.send = 'hacked';
    first.rateScores[0] = 'hacked';
    surveyMessages('de').required = 'hacked';
    expect(widgetTexts('de').send).toBe('Senden');
    expect(widgetTexts('de').rateScores[0]).toBe('Sehr schlecht');
    expect(surveyMessages('de').required).toBe('Dieses Feld ist erforderlich');
  });
});

describe('widgetLanguage', () => {
  it.each([
    ['en', 'en'],
    ['en-GB', 'en'],
    ['EN-us', 'en'],
    ['es', 'es'],
    ['es-419', 'es'],
    ['es-MX', 'es'],
    ['de-AT', 'de'],
    ['de-CH-1996', 'de'],
    ['fr-CA', 'fr'],
    ['pt-BR', 'pt'],
    ['pt-PT', 'pt'],
    ['pt_BR', 'pt'],
    ['ru-RU', 'ru'],
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh-Hans-HK', 'zh-CN'],
    ['zh-TW', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['ZH-hant-tw', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['zh-MO', 'zh-TW'],
    ['zh-Hant-CN', 'zh-TW'],
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['ar', 'ar'],
    ['ar-EG', 'ar'],
    ['ar-SA-u-nu-arab', 'ar'],
    [' fr ', 'fr'],
    ['xx', 'en'],
    ['', 'en'],
    ['-', 'en'],
    ['i-klingon', 'en'],
    ['x-private', 'en'],
    ['<script>', 'en'],
    ['zhx', 'en'],
    ['arabic', 'en'],
    ['e'.repeat(10_000), 'en'],
  ])('maps %j to %s', (tag, expected) => {
    expect(widgetLanguage(tag)).toBe(expected);
  });

  it('falls back to the English texts for an unknown tag', () => {
    expect(widgetTexts('xx-YY')).toEqual(widgetTexts('en'));
    expect(surveyMessages('tlh')).toEqual(ENGLISH_SURVEY_MESSAGES);
  });

  it('gives every regional tag its language’s texts', () => {
    expect(widgetTexts('pt-BR').send).toBe('Enviar');
    expect(widgetTexts('zh-HK').send).toBe('傳送');
    expect(widgetTexts('zh-SG').send).toBe('发送');
    expect(widgetTexts('ar-EG').send).toBe('إرسال');
  });
});
