/**
 * Local days of an IANA time zone as UTC instants, and the zone's UTC offsets over a period,
 * read from Intl (no time zone data of our own).
 */

import { isValidTimeZone, offsetAt } from '../../domain/business-hours';

/** True when Intl knows the zone (`Europe/Moscow`, `UTC`). */
export const isTimeZone = isValidTimeZone;

/** The zone's offset from UTC at an instant, in minutes (Moscow: 180). */
export function offsetMinutes(zone: string, at: number): number {
  return Math.round(offsetAt(at, zone) / 60_000);
}

/** The instant a local day (`2025-03-30`) begins in the zone. */
export function startOfLocalDay(date: string, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // twice: the offset at the first guess may differ from the offset at midnight across a change
  let at = wall - offsetMinutes(zone, wall) * 60_000;
  at = wall - offsetMinutes(zone, at) * 60_000;
  return at;
}

/** The day after `date` (`2025-12-31` → `2026-01-01`). */
export function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** One stretch of a constant offset: instants before `until` (the last stretch: any later one). */
export interface OffsetSpan {
  until: string | null;
  minutes: number;
}

/**
 * The zone's offsets over [start, end): one span per stretch between changes (a DST change
 * splits a span). Found by stepping a day at a time and narrowing each change to the minute.
 */
export function offsetSpans(zone: string, start: number, end: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  let current = offsetMinutes(zone, start);
  for (let t = start; t < end; ) {
    const next = Math.min(t + 86_400_000, end);
    if (offsetMinutes(zone, next) !== current) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if (offsetMinutes(zone, mid) === current) lo = mid;
        else hi = mid;
      }
      // offsets change on a whole minute, the only one in (lo, hi]
      const change = Math.floor(hi / 60_000) * 60_000;
      spans.push({ until: new Date(change).toISOString(), minutes: current });
      current = offsetMinutes(zone, change);
      t = change;
    } else {
      t = next;
    }
  }
  spans.push({ until: null, minutes: current });
  return spans;
}
