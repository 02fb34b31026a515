import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ENGLISH_SURVEY_MESSAGES as M, FIELD_TYPES, Limits, type PublicField, buildAnswersSchema } from '../../protocol/src/index';

/** Every field type, required, checked alone: what a visitor's answer of each kind turns into. */
const OPTIONS = [
  { value: 'billing', label: 'Billing' },
  { value: 'доставка', label: 'Доставка' },
];
const field = (type: PublicField['type'], extra: Partial<PublicField> = {}): PublicField => ({
  key: 'f',
  type,
  label: 'F',
  required: true,
  ...(type === 'select' || type === 'radio' ? { options: OPTIONS } : {}),
  ...extra,
});
const check = (f: PublicField, value: unknown) => {
  const r = v.safeParse(buildAnswersSchema([f], M), value === undefined ? {} : { f: value });
  return r.success ? { ok: true as const, value: (r.output as Record<string, unknown>).f } : { ok: false as const, message: r.issues[0]?.message };
};
const HTML = '<img src=x onerror=alert(1)>';

describe('every field type against the answers visitors type', () => {
  it('covers every type the survey offers', () => {
    expect([...FIELD_TYPES].sort()).toEqual(['checkbox', 'email', 'hidden', 'number', 'phone', 'radio', 'select', 'text', 'textarea']);
  });

  // [type, unicode answer → result, over-long answer]
  const table: [PublicField['type'], unknown, unknown, string][] = [
    ['text', '  Ольга 李雷 🍵  ', 'Ольга 李雷 🍵', 'x'.repeat(Limits.answerText + 1)],
    ['textarea', 'línea 1\nلاين ٢', 'línea 1\nلاين ٢', 'y'.repeat(Limits.answerText + 1)],
    ['hidden', 'utm-κάτι', 'utm-κάτι', 'z'.repeat(Limits.answerText + 1)],
    ['email', ' Ana.Pérez@example.com ', null, `${'a'.repeat(250)}@example.com`],
    ['phone', '+7 (912) 345-67-89', '+79123456789', `+1${'2'.repeat(20)}`],
    ['number', '-12.5', -12.5, '9'.repeat(400)],
    ['select', 'доставка', 'доставка', 'billing'.repeat(200)],
    ['radio', 'доставка', 'доставка', 'billing'.repeat(200)],
  ];

  it.each(table)('%s: keeps a unicode answer (%j)', (type, input, expected) => {
    const r = check(field(type), input);
    if (expected === null) {
      // valibot's email check is ASCII only: an accented local part is refused with the email message
      expect(r).toEqual({ ok: false, message: M.email });
    } else {
      expect(r).toEqual({ ok: true, value: expected });
    }
  });

  it.each(table)('%s: refuses an empty, a whitespace-only and a missing answer when required', (type) => {
    for (const value of ['', '   \t\n', undefined]) expect(check(field(type), value)).toEqual({ ok: false, message: M.required });
  });

  it.each(table)('%s: an optional field left empty is not given', (type) => {
    expect(check(field(type, { required: false }), '  ')).toEqual({ ok: true, value: undefined });
  });

  it.each(table)('%s: refuses an over-long answer with its own message', (type, _u, _e, long) => {
    const expected = { text: M.tooLong, textarea: M.tooLong, hidden: M.tooLong, email: M.tooLong, phone: M.phone, number: M.number, select: M.option, radio: M.option }[
      type as string
    ];
    expect(check(field(type), long)).toEqual({ ok: false, message: expected });
  });

  it.each(table)('%s: HTML is either kept as plain text or refused, never changed', (type) => {
    const r = check(field(type), HTML);
    if (type === 'text' || type === 'textarea' || type === 'hidden') expect(r).toEqual({ ok: true, value: HTML });
    else expect(r.ok).toBe(false);
  });

  it.each(table)('%s: refuses wrong types (number, object, array, null)', (type) => {
    for (const value of [42, { a: 1 }, ['a'], null]) expect(check(field(type), value).ok).toBe(false);
  });

  it('checkbox: required means ticked; strings are not booleans', () => {
    expect(check(field('checkbox'), true)).toEqual({ ok: true, value: true });
    expect(check(field('checkbox'), false)).toEqual({ ok: false, message: M.required });
    expect(check(field('checkbox'), undefined)).toEqual({ ok: false, message: M.required });
    expect(check(field('checkbox'), 'true').ok).toBe(false);
    expect(check(field('checkbox'), HTML).ok).toBe(false);
    expect(check(field('checkbox', { required: false }), undefined)).toEqual({ ok: true, value: false });
  });

  it('a field maxLength tighter than the global limit applies, counted in UTF-16 units', () => {
    expect(check(field('text', { maxLength: 4 }), '🍵🍵')).toEqual({ ok: true, value: '🍵🍵' });
    expect(check(field('text', { maxLength: 4 }), '🍵🍵🍵')).toEqual({ ok: false, message: M.tooLong });
  });
});

describe("an owner's pattern", () => {
  const order = field('text', { pattern: 'NW-\\d{5}', patternError: 'An order ID looks like NW-12345' });

  it('must match the whole answer, after trimming', () => {
    expect(check(order, '  NW-12345 ')).toEqual({ ok: true, value: 'NW-12345' });
    for (const bad of ['NW-1234', 'xNW-12345', 'NW-12345x', 'nw-12345', `NW-12345\n${HTML}`]) {
      expect(check(order, bad)).toEqual({ ok: false, message: 'An order ID looks like NW-12345' });
    }
  });

  it('falls back to the generic message, and alternatives stay anchored', () => {
    const f = field('text', { pattern: 'a|b' });
    expect(check(f, 'a')).toEqual({ ok: true, value: 'a' });
    expect(check(f, 'ab')).toEqual({ ok: false, message: M.pattern });
  });

  it('runs in unicode mode', () => {
    const f = field('hidden', { pattern: '\\p{Script=Cyrillic}+' });
    expect(check(f, 'Москва')).toEqual({ ok: true, value: 'Москва' });
    expect(check(f, 'Moskva')).toEqual({ ok: false, message: M.pattern });
  });

  it('is not checked on an optional field left empty', () => {
    expect(check({ ...order, required: false }, '')).toEqual({ ok: true, value: undefined });
  });
});
