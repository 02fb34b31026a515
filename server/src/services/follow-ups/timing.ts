import type { FollowUpOptOut, FollowUpTiming } from '../../../../protocol/src';
import { type Schedule, addDays, isValidTimeZone, nextOpen, isOpen, toMinutes, wallClock, zonedInstant } from '../../domain/business-hours';
import type { FollowUpsConfig } from './follow-ups-config';

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (minute: number) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;

/** Whether `minute` (of the day) lies in [start, end); a window whose end is before its start passes midnight. */
export function inWindow(minute: number, start: number, end: number): boolean {
  return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** `Sat 08:00` on the contact's wall clock. */
export function localLabel(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant).replace(',', '');
}

/**
 * When a message to a contact is welcome: inside the site's daytime window on the contact's own
 * clock (their browser's time zone), or inside the site's business hours when the site asks for
 * that. Outside it, the next good time is suggested: the window's next start, or the next opening.
 * A contact without a known time zone is never held back.
 */
export function followUpTiming(input: {
  now: Date;
  timeZone: string | null | undefined;
  config: FollowUpsConfig;
  /** The site's business hours, when it has them. */
  hours: Schedule | null;
  optedOut: FollowUpOptOut | null;
}): FollowUpTiming {
  const { now, config, hours, optedOut } = input;
  const { start, end, businessHours } = config.daytime;
  const window = { start, end };
  const timeZone = input.timeZone && isValidTimeZone(input.timeZone) ? input.timeZone : null;
  const useHours = businessHours && hours !== null;
  const rule = useHours ? 'hours' : 'window';
  const base = { timeZone, window, rule, optedOut } as const;
  if (useHours) {
    const open = isOpen(hours, now);
    const next = open ? null : nextOpen(hours, now);
    return {
      ...base,
      localTime: timeZone ? hhmm(wallClock(now, timeZone).minute) : null,
      outside: !open,
      suggestedAt: next?.toISOString() ?? null,
      suggestedLocal: next ? localLabel(next, timeZone ?? hours.timeZone) : null,
    };
  }
  if (!timeZone) return { ...base, localTime: null, outside: false, suggestedAt: null, suggestedLocal: null };
  const clock = wallClock(now, timeZone);
  const from = toMinutes(start);
  const to = toMinutes(end);
  if (inWindow(clock.minute, from, to)) return { ...base, localTime: hhmm(clock.minute), outside: false, suggestedAt: null, suggestedLocal: null };
  // before the window's start today (after midnight), or after its end: then tomorrow's start
  const day = clock.minute < from ? clock.date : addDays(clock.date, 1);
  const next = zonedInstant(day, from, timeZone);
  return { ...base, localTime: hhmm(clock.minute), outside: true, suggestedAt: next.toISOString(), suggestedLocal: localLabel(next, timeZone) };
}
