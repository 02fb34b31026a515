import { describe, expect, it } from 'vitest';
import {
  type Schedule,
  availability,
  describeSchedule,
  formatOpening,
  isOpen,
  nextOpen,
  zonedInstant,
} from '../../../server/src/domain/business-hours';

const nineToSix = [{ from: '09:00', to: '18:00' }];
const weekdays = (timeZone: string): Schedule => ({
  timeZone,
  weekly: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix },
});

describe('isOpen on the wall clock of each zone, before and after daylight saving changes', () => {
  it.each([
    // America/New_York: EST (-5) until 2025-03-09, EDT (-4) until 2025-11-02
    ['America/New_York', '2025-03-07T14:00:00Z', true, 'Fri 09:00 EST'],
    ['America/New_York', '2025-03-07T13:59:00Z', false, 'Fri 08:59 EST'],
    ['America/New_York', '2025-03-10T13:00:00Z', true, 'Mon 09:00 EDT, the day after spring forward'],
    ['America/New_York', '2025-03-10T12:59:00Z', false, 'Mon 08:59 EDT'],
    ['America/New_York', '2025-03-10T21:59:00Z', true, 'Mon 17:59 EDT'],
    ['America/New_York', '2025-03-10T22:00:00Z', false, 'Mon 18:00 EDT'],
    ['America/New_York', '2025-10-31T13:00:00Z', true, 'Fri 09:00 EDT'],
    ['America/New_York', '2025-11-03T13:30:00Z', false, 'Mon 08:30 EST, the day after fall back'],
    ['America/New_York', '2025-11-03T14:00:00Z', true, 'Mon 09:00 EST'],
    ['America/New_York', '2025-03-09T15:00:00Z', false, 'Sunday'],
    // Europe/Berlin: CET (+1) until 2025-03-30, CEST (+2) until 2025-10-26
    ['Europe/Berlin', '2025-03-28T08:00:00Z', true, 'Fri 09:00 CET'],
    ['Europe/Berlin', '2025-03-28T07:59:00Z', false, 'Fri 08:59 CET'],
    ['Europe/Berlin', '2025-03-31T07:00:00Z', true, 'Mon 09:00 CEST'],
    ['Europe/Berlin', '2025-03-31T06:59:00Z', false, 'Mon 08:59 CEST'],
    ['Europe/Berlin', '2025-03-31T15:59:00Z', true, 'Mon 17:59 CEST'],
    ['Europe/Berlin', '2025-03-31T16:00:00Z', false, 'Mon 18:00 CEST'],
    ['Europe/Berlin', '2025-10-27T07:30:00Z', false, 'Mon 08:30 CET, the day after fall back'],
    ['Europe/Berlin', '2025-10-27T08:00:00Z', true, 'Mon 09:00 CET'],
    // Europe/Moscow: +3 all year
    ['Europe/Moscow', '2025-01-06T06:00:00Z', true, 'Mon 09:00 MSK in winter'],
    ['Europe/Moscow', '2025-07-07T05:59:00Z', false, 'Mon 08:59 MSK in summer'],
    ['Europe/Moscow', '2025-07-07T06:00:00Z', true, 'Mon 09:00 MSK in summer'],
    ['Europe/Moscow', '2025-07-07T15:00:00Z', false, 'Mon 18:00 MSK'],
    // Asia/Shanghai: +8 all year; the UTC date is a day behind in the morning
    ['Asia/Shanghai', '2025-01-06T01:00:00Z', true, 'Mon 09:00 CST'],
    ['Asia/Shanghai', '2025-01-06T00:59:00Z', false, 'Mon 08:59 CST'],
    ['Asia/Shanghai', '2025-01-06T10:00:00Z', false, 'Mon 18:00 CST'],
    ['Asia/Shanghai', '2025-01-05T01:00:00Z', false, 'Sun 09:00 CST'],
  ])('%s at %s is open: %s (%s)', (zone, instant, expected) => {
    expect(isOpen(weekdays(zone), new Date(instant))).toBe(expected);
  });
});

describe('ranges in the hours a daylight saving change skips or repeats', () => {
  const night = (timeZone: string, date: string, from: string, to: string): Schedule => ({
    timeZone,
    weekly: {},
    exceptions: [{ date, ranges: [{ from, to }] }],
  });

  it.each([
    // Berlin, 2025-03-30: 02:00 CET jumps to 03:00 CEST at 01:00Z
    [night('Europe/Berlin', '2025-03-30', '00:00', '04:00'), '2025-03-30T00:30:00Z', true, '01:30 CET'],
    [night('Europe/Berlin', '2025-03-30', '00:00', '04:00'), '2025-03-30T01:00:00Z', true, '03:00 CEST, right after the jump'],
    [night('Europe/Berlin', '2025-03-30', '00:00', '04:00'), '2025-03-30T02:00:00Z', false, '04:00 CEST'],
    [night('Europe/Berlin', '2025-03-30', '02:00', '03:00'), '2025-03-30T01:00:00Z', false, 'the skipped hour never comes'],
    // Berlin, 2025-10-26: 03:00 CEST falls back to 02:00 CET at 01:00Z, so 02:30 happens twice
    [night('Europe/Berlin', '2025-10-26', '02:00', '03:00'), '2025-10-26T00:30:00Z', true, 'first 02:30 (CEST)'],
    [night('Europe/Berlin', '2025-10-26', '02:00', '03:00'), '2025-10-26T01:30:00Z', true, 'second 02:30 (CET)'],
    [night('Europe/Berlin', '2025-10-26', '02:00', '03:00'), '2025-10-26T02:00:00Z', false, '03:00 CET'],
    // New York, 2025-03-09 and 2025-11-02
    [night('America/New_York', '2025-03-09', '01:00', '04:00'), '2025-03-09T07:00:00Z', true, '03:00 EDT'],
    [night('America/New_York', '2025-03-09', '01:00', '04:00'), '2025-03-09T08:00:00Z', false, '04:00 EDT'],
    [night('America/New_York', '2025-11-02', '01:00', '02:00'), '2025-11-02T06:30:00Z', true, 'second 01:30 (EST)'],
    [night('America/New_York', '2025-11-02', '01:00', '02:00'), '2025-11-02T07:00:00Z', false, '02:00 EST'],
  ])('case %#: open is %s at %s (%s)', (schedule, instant, expected) => {
    expect(isOpen(schedule, new Date(instant))).toBe(expected);
  });

  it.each([
    ['Europe/Berlin', '2025-03-30', '02:30', '2025-03-30T01:30:00.000Z', 'a time in the gap moves forward to 03:30 CEST'],
    ['Europe/Berlin', '2025-10-26', '02:30', '2025-10-26T00:30:00.000Z', 'a repeated time is the earlier one'],
    ['America/New_York', '2025-03-09', '02:30', '2025-03-09T07:30:00.000Z', 'gap in New York'],
    ['America/New_York', '2025-11-02', '01:30', '2025-11-02T05:30:00.000Z', 'overlap in New York'],
    ['Europe/Moscow', '2025-06-01', '09:00', '2025-06-01T06:00:00.000Z', 'no DST in Moscow'],
    ['Asia/Shanghai', '2025-06-01', '00:30', '2025-05-31T16:30:00.000Z', 'the day before in UTC'],
  ])('zonedInstant %s %s %s is %s (%s)', (zone, date, time, expected) => {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    const [h, m] = time.split(':').map(Number) as [number, number];
    expect(zonedInstant({ year, month, day }, h * 60 + m, zone).toISOString()).toBe(expected);
  });
});

describe('ranges that pass midnight, holidays and empty schedules', () => {
  const bar: Schedule = {
    timeZone: 'Europe/Berlin',
    weekly: { fri: [{ from: '22:00', to: '02:00' }], sat: [{ from: '10:00', to: '12:00' }, { from: '20:00', to: '24:00' }] },
    exceptions: [
      { date: '2025-12-24', ranges: [{ from: '20:00', to: '02:00' }] },
      { date: '2025-12-25', ranges: [] },
      { date: '2025-12-21', ranges: [{ from: '10:00', to: '14:00' }] },
    ],
  };

  it.each([
    ['2025-01-03T21:30:00Z', true, 'Fri 22:30'],
    ['2025-01-04T00:59:00Z', true, 'Sat 01:59, still Friday’s range'],
    ['2025-01-04T01:00:00Z', false, 'Sat 02:00, Friday’s range is over'],
    ['2025-01-04T09:30:00Z', true, 'Sat 10:30, the first of two ranges'],
    ['2025-01-04T12:00:00Z', false, 'Sat 13:00, between the ranges'],
    ['2025-01-04T22:59:00Z', true, 'Sat 23:59, a range ending at 24:00'],
    ['2025-01-04T23:00:00Z', false, 'Sun 00:00'],
    ['2025-12-21T09:30:00Z', true, 'a special Sunday opening'],
    ['2025-12-25T00:30:00Z', true, 'Christmas 01:30: the range belongs to Christmas Eve'],
    ['2025-12-25T12:00:00Z', false, 'Christmas Day is closed'],
    ['2025-12-26T21:30:00Z', true, 'a Friday after the holiday opens as usual'],
  ])('at %s open is %s (%s)', (instant, expected) => {
    expect(isOpen(bar, new Date(instant))).toBe(expected);
  });

  it('is never open and never opens with an empty schedule', () => {
    const empty: Schedule = { timeZone: 'Asia/Shanghai', weekly: {} };
    expect(isOpen(empty, new Date('2025-01-06T03:00:00Z'))).toBe(false);
    expect(nextOpen(empty, new Date('2025-01-06T03:00:00Z'))).toBeNull();
    expect(availability(empty, new Date('2025-01-06T03:00:00Z'))).toEqual({ open: false, nextOpen: null });
  });

  it('counts as always open without a schedule', () => {
    expect(availability(null, new Date('2025-01-05T03:00:00Z'))).toEqual({ open: true, nextOpen: null });
  });

  it('opens again after a schedule that has only exceptions', () => {
    const once: Schedule = { timeZone: 'Europe/Moscow', weekly: {}, exceptions: [{ date: '2025-05-09', ranges: [{ from: '12:00', to: '13:00' }] }] };
    expect(nextOpen(once, new Date('2025-05-01T00:00:00Z'))?.toISOString()).toBe('2025-05-09T09:00:00.000Z');
    expect(nextOpen(once, new Date('2025-05-10T00:00:00Z'))).toBeNull();
  });
});

describe('nextOpen', () => {
  it.each([
    [weekdays('Europe/Berlin'), '2025-03-28T17:30:00Z', '2025-03-31T07:00:00.000Z', 'Friday evening CET to Monday 09:00 CEST'],
    [weekdays('America/New_York'), '2025-03-08T17:00:00Z', '2025-03-10T13:00:00.000Z', 'Saturday EST to Monday 09:00 EDT'],
    [weekdays('America/New_York'), '2025-11-01T17:00:00Z', '2025-11-03T14:00:00.000Z', 'Saturday EDT to Monday 09:00 EST'],
    [weekdays('Europe/Moscow'), '2025-07-07T05:00:00Z', '2025-07-07T06:00:00.000Z', 'early Monday to 09:00 the same day'],
    [weekdays('Asia/Shanghai'), '2025-01-05T20:00:00Z', '2025-01-06T01:00:00.000Z', 'Monday 04:00 local to 09:00'],
    [
      { ...weekdays('Europe/Berlin'), exceptions: [{ date: '2025-12-25', ranges: [] }, { date: '2025-12-26', ranges: [] }] },
      '2025-12-24T17:30:00Z',
      '2025-12-29T08:00:00.000Z',
      'over two holidays and a weekend',
    ],
  ])('case %#: from %s the next opening is %s (%s)', (schedule, from, expected) => {
    expect(nextOpen(schedule, new Date(from))?.toISOString()).toBe(expected);
  });

  it('is the instant itself while open', () => {
    const now = new Date('2025-03-31T07:00:00Z');
    expect(nextOpen(weekdays('Europe/Berlin'), now)).toBe(now);
  });
});

describe('hours in words', () => {
  it('groups days with the same ranges', () => {
    expect(describeSchedule(weekdays('Europe/Berlin'), 'en')).toBe('Mon–Fri 09:00–18:00');
    const split: Schedule = { timeZone: 'UTC', weekly: { mon: nineToSix, tue: nineToSix, thu: nineToSix, sat: [{ from: '10:00', to: '14:00' }] } };
    expect(describeSchedule(split, 'en')).toBe('Mon–Tue 09:00–18:00; Thu 09:00–18:00; Sat 10:00–14:00');
    expect(describeSchedule(weekdays('Europe/Berlin'), 'de')).toMatch(/^Mo\.?–Fr\.? 09:00–18:00$/);
    expect(describeSchedule({ timeZone: 'UTC', weekly: {} }, 'en')).toBe('');
  });

  it('names the opening in the language and zone, with the date when it is far', () => {
    const now = new Date('2025-03-28T17:30:00Z');
    const soon = formatOpening(new Date('2025-03-31T07:00:00Z'), 'en', 'Europe/Berlin', now);
    expect(soon).toContain('Monday');
    expect(soon).toContain('09:00');
    expect(formatOpening(new Date('2025-03-31T07:00:00Z'), 'de', 'Europe/Berlin', now)).toContain('Montag');
    expect(formatOpening(new Date('2025-04-14T07:00:00Z'), 'en', 'Europe/Berlin', now)).toContain('April');
    expect(formatOpening(new Date('2025-03-31T07:00:00Z'), 'not a language!', 'Europe/Berlin', now)).toContain('Monday');
  });
});
