import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../server/src/config/load';
import type { Schedule } from '../../server/src/domain/business-hours';
import { defaultFollowUps, type FollowUpsConfig } from '../../server/src/services/follow-ups/follow-ups-config';
import { followUpTiming, inWindow, localLabel } from '../../server/src/services/follow-ups/timing';
import { configProblems as problems } from '../helpers/config';

const at = (iso: string) => new Date(iso);
const timing = (now: string, timeZone: string | null, config: FollowUpsConfig = defaultFollowUps, hours: Schedule | null = null) =>
  followUpTiming({ now: at(now), timeZone, config, hours, optedOut: null });
const window = (start: string, end: string, businessHours = false): FollowUpsConfig => ({ ...defaultFollowUps, daytime: { start, end, businessHours } });

describe("the contact's daytime window", () => {
  it('is open from start up to (not including) end, and may pass midnight', () => {
    expect([479, 480, 1259, 1260].map((m) => inWindow(m, 480, 1260))).toEqual([false, true, true, false]);
    // 22:00–06:00, a night-shift window
    expect([1319, 1320, 0, 359, 360].map((m) => inWindow(m, 1320, 360))).toEqual([false, true, true, true, false]);
  });

  it('suggests the same morning after midnight and the next morning after the evening, on the contact\'s clock', () => {
    // 02:00 in Moscow (UTC+3): 08:00 the same day
    expect(timing('2026-12-04T23:00:00Z', 'Europe/Moscow')).toMatchObject({ localTime: '02:00', outside: true, suggestedAt: '2026-12-05T05:00:00.000Z', suggestedLocal: 'Sat 08:00' });
    // 21:00 sharp in Madrid is already outside: tomorrow 08:00
    expect(timing('2026-12-04T20:00:00Z', 'Europe/Madrid')).toMatchObject({ localTime: '21:00', outside: true, suggestedAt: '2026-12-05T07:00:00.000Z' });
    // 20:59 is inside
    expect(timing('2026-12-04T19:59:00Z', 'Europe/Madrid')).toMatchObject({ localTime: '20:59', outside: false, suggestedAt: null, suggestedLocal: null });
    // a zone with a half-hour offset
    expect(timing('2026-12-04T22:00:00Z', 'Asia/Kolkata')).toMatchObject({ localTime: '03:30', suggestedAt: '2026-12-05T02:30:00.000Z' });
  });

  it('keeps the wall-clock hour across a daylight-saving change', () => {
    // the night Berlin moves to summer time (29 March 2026, 02:00 → 03:00): 08:00 CEST is 06:00 UTC
    expect(timing('2026-03-29T00:30:00Z', 'Europe/Berlin')).toMatchObject({ localTime: '01:30', suggestedAt: '2026-03-29T06:00:00.000Z' });
  });

  it('never holds back a contact whose time zone is unknown or invalid', () => {
    for (const zone of [null, 'Mars/Olympus', '', 'Europe/Moscow<script>']) {
      expect(timing('2026-12-04T23:00:00Z', zone)).toMatchObject({ timeZone: null, localTime: null, outside: false, suggestedAt: null });
    }
  });

  it("uses the site's business hours when the site asks for them", () => {
    const hours: Schedule = { timeZone: 'Europe/Berlin', weekly: { mon: [{ from: '09:00', to: '17:00' }], fri: [{ from: '09:00', to: '17:00' }] } };
    const config = window('08:00', '21:00', true);
    // Friday 18:00 in Berlin: closed until Monday 09:00
    expect(timing('2026-12-04T17:00:00Z', 'Europe/Berlin', config, hours)).toMatchObject({ rule: 'hours', outside: true, suggestedAt: '2026-12-07T08:00:00.000Z', suggestedLocal: 'Mon 09:00' });
    expect(timing('2026-12-04T10:00:00Z', 'Europe/Berlin', config, hours)).toMatchObject({ rule: 'hours', outside: false, suggestedAt: null });
    // without hours the window applies
    expect(timing('2026-12-04T10:00:00Z', 'Europe/Berlin', config, null).rule).toBe('window');
  });

  it('labels an instant on the contact\'s wall clock', () => {
    expect(localLabel(at('2026-12-05T05:00:00Z'), 'Europe/Moscow')).toBe('Sat 08:00');
    expect(localLabel(at('2026-12-05T05:00:00Z'), 'America/Los_Angeles')).toBe('Fri 21:00');
  });
});

describe('followUps in the config file', () => {
  const site = (followUps: unknown) => ({ sites: { demo: { name: 'Demo', followUps } } });
  it('defaults to 08:00–21:00 and a 10-minute email delay', () => {
    expect(validateConfig({ sites: { shop: { name: 'Shop' } } }).sites.shop?.followUps).toEqual({
      daytime: { start: '08:00', end: '21:00', businessHours: false },
      email: { delayMinutes: 10, contextMessages: 3 },
    });
  });

  it.each([
    [site({ daytime: { start: '8:00' } }), 'sites.demo.followUps.daytime.start: expected a time such as 08:00'],
    [site({ daytime: { end: '24:00' } }), 'sites.demo.followUps.daytime.end: expected a time such as 08:00'],
    [site({ daytime: { businessHours: 'yes' } }), 'sites.demo.followUps.daytime.businessHours: expected true or false'],
    [site({ email: { delayMinutes: -1 } }), 'sites.demo.followUps.email.delayMinutes'],
    [site({ email: { delayMinutes: 2.5 } }), 'sites.demo.followUps.email.delayMinutes: expected whole minutes'],
    [site({ email: { delayMinutes: '10' } }), 'sites.demo.followUps.email.delayMinutes: expected a number of minutes'],
    [site({ email: { contextMessages: 50 } }), 'sites.demo.followUps.email.contextMessages'],
  ])('reports %j at its path', (input, message) => {
    expect(problems(input).join('\n')).toContain(message);
  });
});
