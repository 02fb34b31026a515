import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../server/src/config/load';
import { AutoReplySettings } from '../../server/src/services/auto-replies/auto-reply-settings';
import { systemClock } from '../../server/src/services/clock';
import { configProblems as problems } from '../helpers/config';
import { demoConfig } from '../helpers/server';

const withSite = (autoReplies: unknown, global: unknown = undefined) => ({
  sites: { demo: { name: 'Demo', autoReplies } },
  ...(global === undefined ? {} : { autoReplies: global }),
});

describe('the auto-replies config', () => {
  it('accepts the demo config with its schedules, rules and quick replies', () => {
    const config = demoConfig();
    expect(config.sites.demo?.autoReplies?.hours).toBe('northwind');
    expect(config.autoReplies.schedules.northwind?.timeZone).toBe('Europe/Berlin');
    expect(config.autoReplies.rules.map((r) => r.id)).toContain('refund');
    expect(config.autoReplies.quickReplies.length).toBeGreaterThan(2);
    expect(config.sites['after-hours']?.autoReplies?.hours).toEqual({ timeZone: 'Europe/Berlin', weekly: {}, exceptions: [] });
  });

  it('fills defaults for a site that sets only a welcome', () => {
    const config = validateConfig(withSite({ welcome: { text: 'Hi!' } }));
    expect(config.sites.demo?.autoReplies).toMatchObject({ botName: 'Assistant', maxPerHour: 5, welcome: { when: 'firstConversation' }, rules: [] });
  });

  it.each([
    [withSite({ welcome: { text: 'Hi {{contact.nmae}}' } }), 'sites.demo.autoReplies.welcome.text: unknown variable {{contact.nmae}}'],
    [withSite({ away: { text: { en: 'ok', de: 'Hallo {{kunde.name}}' } } }), 'sites.demo.autoReplies.away.text.de: unknown variable {{kunde.name}}'],
    [withSite({ busy: { text: 'number {{queue.position}' } }), 'sites.demo.autoReplies.busy.text: malformed placeholder'],
    [withSite({ hours: { timeZone: 'Mars/Olympus', weekly: {} } }), 'sites.demo.autoReplies.hours.timeZone: expected an IANA time zone'],
    [withSite({ hours: { timeZone: 'UTC', weekly: { mon: [{ from: '9:00', to: '18:00' }] } } }), 'sites.demo.autoReplies.hours.weekly.mon[0].from: expected a time'],
    [withSite({ hours: { timeZone: 'UTC', weekly: { monday: [] } } }), 'sites.demo.autoReplies.hours.weekly.monday'],
    [withSite({ hours: { timeZone: 'UTC', exceptions: [{ date: '2025-02-30', ranges: [] }] } }), 'sites.demo.autoReplies.hours.exceptions[0].date: no such date'],
    [withSite({ maxPerHour: 0 }), 'sites.demo.autoReplies.maxPerHour'],
    [withSite({ rules: [{ id: 'r', pattern: '(a+)+', actions: [{ type: 'label', label: 'x' }] }] }), 'sites.demo.autoReplies.rules[0].pattern: a repeated group'],
    [withSite({ rules: [{ id: 'r', pattern: '([a-z', actions: [{ type: 'label', label: 'x' }] }] }), 'sites.demo.autoReplies.rules[0].pattern: not a valid regular expression'],
    [withSite({ rules: [{ id: 'r', keywords: ['a'], pattern: 'a', actions: [{ type: 'handover' }] }] }), 'sites.demo.autoReplies.rules[0]: a rule needs either keywords or a pattern'],
    [withSite({ rules: [{ id: 'r', keywords: ['a'], actions: [] }] }), 'sites.demo.autoReplies.rules[0].actions: a rule needs at least one action'],
    [withSite({ rules: [{ id: 'r', keywords: ['a'], actions: [{ type: 'explode' }] }] }), 'sites.demo.autoReplies.rules[0].actions[0].type'],
    [withSite({ rules: [{ id: 'r', keywords: ['a'], actions: [{ type: 'reply', text: 'Hi {{agent.password}}' }] }] }), 'sites.demo.autoReplies.rules[0].actions[0].text: unknown variable {{agent.password}}'],
    [withSite({ rules: [{ id: 'r', keywords: ['a'], actions: [{ type: 'handover' }] }, { id: 'r', keywords: ['b'], actions: [{ type: 'handover' }] }] }), 'sites.demo.autoReplies.rules: rule ids must be unique'],
    [withSite({}, { quickReplies: [{ shortcut: '/thanks', text: 'x' }] }), 'autoReplies.quickReplies[0].shortcut'],
    [withSite({}, { quickReplies: [{ shortcut: 'a', text: 'x' }, { shortcut: 'A', text: 'y' }] }), 'autoReplies.quickReplies: shortcuts must be unique per team'],
    [withSite({}, { quickReplies: [{ shortcut: 'hi', text: '{{contact.nam}}' }] }), 'autoReplies.quickReplies[0].text: unknown variable {{contact.nam}}'],
    [withSite({ profile: { website: 'javascript:alert(1)' } }), 'sites.demo.autoReplies.profile.website'],
  ])('names the exact path of a bad value (%#)', (input, expected) => {
    const found = problems(input);
    expect(found.some((p) => p.startsWith(expected)), found.join('\n')).toBe(true);
  });

  it('refuses a site or team naming a schedule that does not exist', () => {
    const config = validateConfig(withSite({ hours: 'office' }, { schedules: { shop: { timeZone: 'UTC' } } }));
    expect(() => new AutoReplySettings(null as never, config, systemClock)).toThrow(/sites\.demo\.autoReplies\.hours: unknown schedule "office"/);
  });
});
