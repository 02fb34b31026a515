import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ENGLISH_SURVEY_MESSAGES, type PublicField, buildAnswersSchema, localize } from '../../protocol/src/index';

const fields: PublicField[] = [
  { key: 'name', type: 'text', label: 'Name', required: true, maxLength: 20 },
  { key: 'email', type: 'email', label: 'Email', required: true },
  { key: 'phone', type: 'phone', label: 'Phone', required: false },
  { key: 'orders', type: 'number', label: 'Orders', required: false },
  { key: 'kind', type: 'select', label: 'Kind', required: true, options: [{ value: 'billing', label: 'Billing' }] },
  { key: 'news', type: 'checkbox', label: 'News', required: false },
];
const schema = buildAnswersSchema(fields, ENGLISH_SURVEY_MESSAGES);
const base = { name: 'Ana', email: 'ana@example.com', kind: 'billing' };
const errorsOf = (answers: unknown) => {
  const r = v.safeParse(schema, answers);
  return r.success ? {} : Object.fromEntries(r.issues.map((i) => [i.path?.map((p) => p.key).join('.'), i.message]));
};

describe('the survey answer schema', () => {
  it('accepts good answers, trims text and normalises a phone number', () => {
    const r = v.parse(schema, { ...base, name: '  Ana  ', phone: '+34 600-123 456', orders: '3' });
    expect(r).toMatchObject({ name: 'Ana', phone: '+34600123456', orders: 3, news: false });
  });

  it.each([
    [{ ...base, name: '' }, 'name', 'This field is required'],
    [{ ...base, name: '   ' }, 'name', 'This field is required'],
    [{ ...base, name: 'x'.repeat(21) }, 'name', 'This answer is too long'],
    [{ ...base, name: 7 }, 'name', 'This field is required'],
    [{ ...base, email: 'ana@' }, 'email', 'Enter a valid email address'],
    [{ ...base, phone: '600 123 456' }, 'phone', 'Enter an international number, such as +1 555 123 4567'],
    [{ ...base, orders: 'three' }, 'orders', 'Enter a number'],
    [{ ...base, kind: 'free beer' }, 'kind', 'Choose one of the options'],
    [{ email: 'ana@example.com', kind: 'billing' }, 'name', 'This field is required'],
  ])('rejects %j at %s', (answers, key, message) => {
    expect(errorsOf(answers)[key]).toBe(message);
  });

  it('keeps unicode and HTML-bearing text as typed', () => {
    expect(v.parse(schema, { ...base, name: '<b>李雷</b> 🍵' }).name).toBe('<b>李雷</b> 🍵');
  });

  it('treats empty optional answers as not given', () => {
    const r = v.parse(schema, { ...base, phone: '  ', orders: '' });
    expect(r.phone).toBeUndefined();
    expect(r.orders).toBeUndefined();
  });
});

describe('localize', () => {
  const label = { en: 'Name', es: 'Nombre', 'zh-CN': '姓名' };
  it.each([
    ['es', 'Nombre'],
    ['es-MX', 'Nombre'],
    ['zh-CN', '姓名'],
    ['zh', 'Name'],
    ['de', 'Name'],
  ])('picks the text for %s', (lang, expected) => {
    expect(localize(label, lang)).toBe(expected);
  });
});
