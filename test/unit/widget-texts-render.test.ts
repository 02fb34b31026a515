import { describe, expect, it } from 'vitest';
import type { WidgetTexts } from '../../protocol/src/index';
import { WIDGET_LANGUAGES, widgetTexts } from '../../server/src/i18n/widget-texts';
import { backAt, dayLabel, timeOf } from '../../widget/src/app/format';

/** Sample values for every placeholder the widget fills in. */
const SAMPLES: Record<string, string> = { time: '10:30', day: 'Friday', n: '3', name: 'Maria Kim', max: '4,000' };
const placeholders = (s: string): string[] => (s.match(/\{[^}]*\}/g) ?? []).sort();
const fill = (s: string): string => s.replace(/\{(\w+)\}/g, (whole, key: string) => SAMPLES[key] ?? whole);

/** Every text of a language as the visitor reads it, named by key (scores and weekdays one by one). */
function rendered(lang: string): Map<string, string> {
  return new Map(
    Object.entries(widgetTexts(lang)).flatMap(([key, value]): [string, string][] =>
      Array.isArray(value) ? value.map((s, i) => [`${key}[${i}]`, fill(s)]) : [[key, fill(value as string)]],
    ),
  );
}

const english = rendered('en');
const raw = (lang: string): Record<string, string> =>
  Object.fromEntries(Object.entries(widgetTexts(lang)).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
/** Words that read the same in a language and in English. */
const SAME: Record<string, string[]> = { de: ['online'], pt: ['online'], fr: ['message'] };

describe('every widget text rendered with sample values', () => {
  it.each(WIDGET_LANGUAGES)('leaves no placeholder in %s', (lang) => {
    for (const [key, s] of rendered(lang)) expect(s, `${lang} ${key}`).not.toMatch(/[{}]/);
  });

  it.each(WIDGET_LANGUAGES)('uses in %s the placeholders the English uses, text by text', (lang) => {
    const en = raw('en');
    for (const [key, s] of Object.entries(raw(lang))) expect(placeholders(s), `${lang} ${key}`).toEqual(placeholders(en[key] ?? ''));
  });

  it.each(WIDGET_LANGUAGES.filter((lang) => lang !== 'en'))('leaves no English text in %s', (lang) => {
    for (const [key, s] of rendered(lang)) {
      if (SAME[lang]?.includes(key)) continue;
      expect(s, `${lang} ${key} is still English`).not.toBe(english.get(key));
    }
  });

  it('says the new texts in every language', () => {
    for (const lang of WIDGET_LANGUAGES) {
      const ui = widgetTexts(lang);
      for (const key of ['today', 'yesterday', 'tooLong', 'ratePick'] as const) expect(ui[key], `${lang} ${key}`).toBeTruthy();
      expect(ui.tooLong, lang).toContain('{max}');
      expect(ui.awayUntil, lang).toMatch(/\{day\}[\s\S]*\{time\}/);
    }
  });
});

describe('the widget’s dates in the visitor’s language', () => {
  // a Monday, 8:05 in the test's own time zone
  const monday = new Date(2025, 5, 9, 8, 5);

  it.each(WIDGET_LANGUAGES)('writes "back on" in %s with the weekday and time filled in', (lang) => {
    const text = backAt(monday, lang, widgetTexts(lang));
    expect(text).not.toMatch(/[{}]/);
    expect(text).toContain(timeOf(monday, lang));
    if (lang !== 'ru') expect(text).toContain(monday.toLocaleDateString(lang, { weekday: 'long' }));
  });

  it('reads naturally in English and Russian, the Russian weekday in the form its preposition asks for', () => {
    expect(backAt(monday, 'en', widgetTexts('en'))).toBe(`Back on Monday at ${timeOf(monday, 'en')}`);
    expect(backAt(monday, 'ru', widgetTexts('ru'))).toBe(`Вернёмся в понедельник в ${timeOf(monday, 'ru')}`);
    const wednesday = new Date(2025, 5, 11, 9, 0);
    expect(backAt(wednesday, 'ru', widgetTexts('ru'))).toBe(`Вернёмся в среду в ${timeOf(wednesday, 'ru')}`);
    const tuesday = new Date(2025, 5, 10, 9, 0);
    expect(backAt(tuesday, 'ru', widgetTexts('ru'))).toMatch(/^Вернёмся во вторник в /);
  });

  it('gives Russian a weekday phrase for each day of the week, Sunday first', () => {
    expect(widgetTexts('ru').weekdays).toEqual(['в воскресенье', 'в понедельник', 'во вторник', 'в среду', 'в четверг', 'в пятницу', 'в субботу']);
  });

  it('names today and yesterday in words and older days by date, with the year only when it is not this one', () => {
    const ui: WidgetTexts = widgetTexts('en');
    const now = new Date(2025, 5, 9, 0, 30);
    expect(dayLabel(new Date(2025, 5, 9, 0, 1), 'en', ui, now)).toBe('Today');
    expect(dayLabel(new Date(2025, 5, 8, 23, 59), 'en', ui, now)).toBe('Yesterday');
    expect(dayLabel(new Date(2025, 5, 6, 12, 0), 'en', ui, now)).toBe('Friday, June 6');
    expect(dayLabel(new Date(2024, 11, 31, 12, 0), 'en', ui, now)).toBe('Tuesday, December 31, 2024');
    expect(dayLabel(new Date(2025, 5, 8, 12, 0), 'ru', widgetTexts('ru'), now)).toBe('Вчера');
    expect(dayLabel(new Date(2025, 5, 6, 12, 0), 'de', widgetTexts('de'), now)).toBe('Freitag, 6. Juni');
  });

  it('counts days across a change of summer time by the calendar, not by 24 hours', () => {
    const ui = widgetTexts('en');
    // the night of the change is 23 or 25 hours long where the zone has one; a whole day in any zone
    expect(dayLabel(new Date(2025, 2, 29, 12, 0), 'en', ui, new Date(2025, 2, 30, 23, 30))).toBe('Yesterday');
    expect(dayLabel(new Date(2025, 9, 25, 23, 30), 'en', ui, new Date(2025, 9, 26, 23, 59))).toBe('Yesterday');
  });
});
