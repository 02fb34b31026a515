import type { WidgetTexts } from '../../../protocol/src/survey';

// the widget's dates and numbers, in the visitor's language by Intl (no locale data shipped)

/** The time of day: "8:05 AM", "08:05". */
export const timeOf = (d: Date, lang: string): string => d.toLocaleTimeString(lang, { hour: 'numeric', minute: '2-digit' });

/** Midnight of a date's day, local time. */
const dayStart = (d: Date): number => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();

/** A day separator: "Today", "Yesterday", else the date ("Monday, June 9"; the year when not this one). */
export function dayLabel(d: Date, lang: string, ui: WidgetTexts, now = new Date()): string {
  // rounded, as a day across a DST change is 23 or 25 hours
  const ago = Math.round((dayStart(now) - dayStart(d)) / 864e5);
  return ago === 0
    ? ui.today
    : ago === 1
      ? ui.yesterday
      : d.toLocaleDateString(lang, { weekday: 'long', month: 'long', day: 'numeric', year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric' });
}

/** "Back on Monday at 8:00 AM": the weekday as the language writes it in the sentence, then the time. */
export const backAt = (d: Date, lang: string, ui: WidgetTexts): string =>
  ui.awayUntil.replace('{day}', () => ui.weekdays?.[d.getDay()] ?? d.toLocaleDateString(lang, { weekday: 'long' })).replace('{time}', () => timeOf(d, lang));

/** Two letters for an avatar: the first and last words' initials ("Maria Kim" → "MK"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/);
  return ((words[0]?.[0] ?? '') + (words.length > 1 ? (words.at(-1)?.[0] ?? '') : '')).toUpperCase();
}
