/**
 * Business hours: a weekly schedule on the wall clock of an IANA time zone,
 * with several ranges per day, ranges that pass midnight, and dated
 * exceptions. Pure functions over `Intl.DateTimeFormat`; no I/O.
 *
 * Ranges are read on the wall clock, so "09:00–18:00" means nine to six local
 * time on every day, whatever daylight saving does. A range whose end is not
 * after its start passes midnight and ends on the next day, even when that next
 * day is a holiday: the range belongs to the day it starts on.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `from` and `to` as `HH:MM`; `to` may be `24:00`. `to <= from` passes midnight. */
export interface TimeRange {
  from: string;
  to: string;
}

/** A dated exception: its ranges replace the weekly ones for that local date (`[]`: closed). */
export interface ScheduleException {
  date: string;
  ranges: TimeRange[];
}

export interface Schedule {
  timeZone: string;
  weekly: Partial<Record<Weekday, TimeRange[]>>;
  exceptions?: ScheduleException[];
}

/** A calendar date on the schedule's wall clock. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead `nextOpen` looks; a schedule closed that long counts as closed. */
export const LOOKAHEAD_DAYS = 400;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows this IANA zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and minute of the day of an instant in a zone. */
export function wallClock(instant: Date, timeZone: string): { date: LocalDate; minute: number; weekday: Weekday } {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const date = { year: parts.year as number, month: parts.month as number, day: parts.day as number };
  return { date, minute: (parts.hour as number) * 60 + (parts.minute as number), weekday: weekdayOf(date) };
}

/** Offset of the zone from UTC at an instant, in milliseconds (east positive). */
export function offsetAt(ms: number, timeZone: string): number {
  const { date, minute } = wallClock(new Date(ms), timeZone);
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minute * MINUTE;
  return wall - Math.floor(ms / MINUTE) * MINUTE;
}

/**
 * The instant a wall-clock time names in a zone. In the autumn overlap the
 * earlier instant wins; a time inside the spring gap moves forward by the
 * gap (02:30 becomes 03:30), as clocks do.
 */
export function zonedInstant(date: LocalDate, minute: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minute * MINUTE;
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const valid = [before, after].map((o) => wall - o).filter((t) => wall - t === offsetAt(t, timeZone));
  if (valid.length > 0) return new Date(Math.min(...valid));
  return new Date(wall - before);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAYS[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()] as Weekday;
}

export function isoDate(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** `HH:MM` to minutes of the day; `24:00` is 1440. */
export function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h as number) * 60 + (m as number);
}

/** The ranges that start on a local date: the exception's when there is one, else the weekday's. */
export function rangesOn(schedule: Schedule, date: LocalDate): TimeRange[] {
  const iso = isoDate(date);
  const exception = schedule.exceptions?.find((e) => e.date === iso);
  return exception ? exception.ranges : (schedule.weekly[weekdayOf(date)] ?? []);
}

const passesMidnight = (r: TimeRange): boolean => toMinutes(r.to) <= toMinutes(r.from);

/** Is the business open at this instant? */
export function isOpen(schedule: Schedule, instant: Date): boolean {
  const { date, minute } = wallClock(instant, schedule.timeZone);
  for (const r of rangesOn(schedule, date)) {
    const from = toMinutes(r.from);
    const to = toMinutes(r.to);
    if (passesMidnight(r) ? minute >= from : minute >= from && minute < to) return true;
  }
  for (const r of rangesOn(schedule, addDays(date, -1))) {
    if (passesMidnight(r) && minute < toMinutes(r.to)) return true;
  }
  return false;
}

/**
 * The next instant the business opens, strictly after `instant` when it is
 * closed now, or `instant` itself when it is open. Null when the schedule has
 * no opening within {@link LOOKAHEAD_DAYS}.
 */
export function nextOpen(schedule: Schedule, instant: Date): Date | null {
  if (isOpen(schedule, instant)) return instant;
  const today = wallClock(instant, schedule.timeZone).date;
  const hasWeekly = Object.values(schedule.weekly).some((r) => r && r.length > 0);
  const lastException = (schedule.exceptions ?? []).reduce((max, e) => (e.date > max ? e.date : max), '');
  for (let i = 0; i <= LOOKAHEAD_DAYS; i++) {
    const date = addDays(today, i);
    if (!hasWeekly && isoDate(date) > lastException) break;
    const starts = rangesOn(schedule, date)
      .map((r) => zonedInstant(date, toMinutes(r.from), schedule.timeZone))
      .filter((t) => t.getTime() > instant.getTime() && isOpen(schedule, t))
      .sort((a, b) => a.getTime() - b.getTime());
    if (starts[0]) return starts[0];
  }
  return null;
}

/** Open now, and if not, when: what the widget header and the away message need. */
export function availability(schedule: Schedule | null, instant: Date): { open: boolean; nextOpen: Date | null } {
  if (!schedule) return { open: true, nextOpen: null };
  const open = isOpen(schedule, instant);
  return { open, nextOpen: open ? null : nextOpen(schedule, instant) };
}

/**
 * "Mon–Fri 09:00–18:00, Sat 10:00–14:00" in a language: consecutive days with
 * the same ranges share one entry. Exceptions are not listed.
 */
export function describeSchedule(schedule: Schedule, lang: string): string {
  const order: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const dayName = (w: Weekday) => {
    // 2024-01-01 was a Monday
    const date = new Date(Date.UTC(2024, 0, 1 + order.indexOf(w), 12));
    return safeFormat(lang, { weekday: 'short', timeZone: 'UTC' }, date);
  };
  const key = (w: Weekday) => (schedule.weekly[w] ?? []).map((r) => `${r.from}–${r.to}`).join(', ');
  const groups: { first: Weekday; last: Weekday; ranges: string }[] = [];
  for (const w of order) {
    const ranges = key(w);
    const prev = groups[groups.length - 1];
    if (prev && prev.ranges === ranges && order.indexOf(prev.last) === order.indexOf(w) - 1) prev.last = w;
    else groups.push({ first: w, last: w, ranges });
  }
  return groups
    .filter((g) => g.ranges !== '')
    .map((g) => `${dayName(g.first)}${g.first === g.last ? '' : `–${dayName(g.last)}`} ${g.ranges}`)
    .join('; ');
}

/** An opening time in words, in a language and a zone: "Monday 09:00 CET", with the date when more than 6 days ahead. */
export function formatOpening(when: Date, lang: string, timeZone: string, now: Date): string {
  const far = when.getTime() - now.getTime() > 6 * DAY;
  return safeFormat(
    lang,
    {
      timeZone,
      weekday: 'long',
      ...(far ? { day: 'numeric', month: 'long' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    },
    when,
  );
}

function safeFormat(lang: string, options: Intl.DateTimeFormatOptions, date: Date): string {
  try {
    return new Intl.DateTimeFormat(lang, options).format(date);
  } catch {
    return new Intl.DateTimeFormat('en', options).format(date);
  }
}
