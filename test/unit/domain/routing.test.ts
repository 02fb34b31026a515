import { describe, expect, it } from 'vitest';
import {
  type RoutingFacts,
  type RoutingRule,
  type RuleConditions,
  type VipDefinition,
  languageMatches,
  matchConditions,
  route,
  urlPatternMatches,
  vipReason,
} from '../../../server/src/domain/routing';

const base: RoutingFacts = {
  siteId: 'demo',
  inquiryType: 'billing',
  language: 'es-MX',
  country: 'MX',
  email: 'ana@shop.example',
  returning: false,
  pageUrl: 'https://shop.example/checkout/pay?step=2',
  labels: [],
  attributes: {},
  answers: { inquiryType: 'billing', plan: 'Wholesale', orderCount: 12, newsletter: true },
};
const facts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({ ...base, ...over });
const vip: VipDefinition = { attribute: { key: 'plan', values: ['wholesale'] }, labels: ['vip'], emailDomains: ['partners.example'] };

describe('each condition kind', () => {
  const cases: { name: string; when: RuleConditions; facts: RoutingFacts; matches: boolean; why?: string }[] = [
    { name: 'inquiry type listed', when: { inquiryType: ['shipping', 'Billing'] }, facts: facts(), matches: true, why: 'inquiry type is billing' },
    { name: 'inquiry type not listed', when: { inquiryType: ['shipping'] }, facts: facts(), matches: false },
    { name: 'inquiry type missing', when: { inquiryType: ['billing'] }, facts: facts({ inquiryType: null }), matches: false },
    { name: 'language by base tag', when: { language: ['es'] }, facts: facts(), matches: true, why: 'language is es-MX' },
    { name: 'language of another base', when: { language: ['en'] }, facts: facts(), matches: false },
    { name: 'language unknown', when: { language: ['es'] }, facts: facts({ language: null }), matches: false },
    { name: 'region tag does not match the bare base', when: { language: ['pt-BR'] }, facts: facts({ language: 'pt' }), matches: false },
    { name: 'country listed, any case', when: { country: ['mx', 'ES'] }, facts: facts(), matches: true, why: 'country is MX' },
    { name: 'country not listed', when: { country: ['ES'] }, facts: facts(), matches: false },
    { name: 'country unknown', when: { country: ['ES'] }, facts: facts({ country: null }), matches: false },
    { name: 'VIP by attribute value', when: { vip: true }, facts: facts(), matches: true, why: 'VIP (plan is Wholesale)' },
    { name: 'VIP by label', when: { vip: true }, facts: facts({ answers: {}, labels: ['VIP'] }), matches: true, why: 'VIP (labelled VIP)' },
    { name: 'VIP by email subdomain, for a verified identity', when: { vip: true }, facts: facts({ answers: {}, email: 'x@eu.partners.example', verified: true }), matches: true, why: 'VIP (email domain partners.example)' },
    { name: 'not VIP: the same email typed by an unverified visitor', when: { vip: true }, facts: facts({ answers: {}, email: 'x@eu.partners.example', verified: false }), matches: false },
    { name: 'not VIP: look-alike domain', when: { vip: true }, facts: facts({ answers: {}, email: 'x@evilpartners.example', verified: true }), matches: false },
    { name: 'vip: false matches non-VIPs', when: { vip: false }, facts: facts({ answers: {} }), matches: true, why: 'not a VIP' },
    { name: 'vip: false refuses VIPs', when: { vip: false }, facts: facts(), matches: false },
    { name: 'new contact', when: { contact: 'new' }, facts: facts(), matches: true, why: 'new contact' },
    { name: 'returning contact wanted, new one came', when: { contact: 'returning' }, facts: facts(), matches: false },
    { name: 'returning contact', when: { contact: 'returning' }, facts: facts({ returning: true }), matches: true, why: 'returning contact' },
    { name: 'site listed', when: { site: ['demo', 'other'] }, facts: facts(), matches: true, why: 'site is demo' },
    { name: 'site not listed', when: { site: ['other'] }, facts: facts(), matches: false },
    { name: 'page pattern', when: { pageUrl: '*/checkout*' }, facts: facts(), matches: true, why: 'page matches */checkout*' },
    { name: 'page pattern is anchored', when: { pageUrl: '/checkout*' }, facts: facts(), matches: false },
    { name: 'page pattern dots are literal', when: { pageUrl: 'https://shop.example*' }, facts: facts({ pageUrl: 'https://shopXexample/' }), matches: false },
    { name: 'page unknown', when: { pageUrl: '*' }, facts: facts({ pageUrl: null }), matches: false },
    { name: 'custom field, one value', when: { fields: { plan: 'wholesale' } }, facts: facts(), matches: true, why: 'plan is Wholesale' },
    { name: 'custom field, list of values', when: { fields: { plan: ['retail', 'WHOLESALE'] } }, facts: facts(), matches: true },
    { name: 'custom field, number', when: { fields: { orderCount: 12 } }, facts: facts(), matches: true },
    { name: 'custom field, boolean', when: { fields: { newsletter: false } }, facts: facts(), matches: false },
    { name: 'custom field missing', when: { fields: { region: 'north' } }, facts: facts(), matches: false },
    { name: 'every condition must hold', when: { inquiryType: ['billing'], language: ['en'] }, facts: facts(), matches: false },
    { name: 'no conditions', when: {}, facts: facts(), matches: true },
  ];
  it.each(cases)('$name', ({ when, facts: f, matches, why }) => {
    const result = matchConditions(when, f, vip);
    expect(result !== null).toBe(matches);
    if (why) expect(result).toContain(why);
  });
});

describe('the rule order and the default rule', () => {
  const rules: RoutingRule[] = [
    { name: 'VIP billing', when: { vip: true, inquiryType: ['billing'] }, team: 'billing', priority: 'urgent' },
    { name: 'Spanish speakers', when: { language: ['es'] }, team: 'spanish', priority: 'normal' },
    { name: 'Billing', when: { inquiryType: ['billing'] }, team: 'billing', priority: 'normal' },
  ];
  const cases: { name: string; facts: RoutingFacts; rule: string; team: string | null; priority: number }[] = [
    { name: 'the first matching rule wins', facts: facts(), rule: 'VIP billing', team: 'billing', priority: 3 },
    { name: 'a later rule when earlier ones fail', facts: facts({ answers: {} }), rule: 'Spanish speakers', team: 'spanish', priority: 1 },
    { name: 'order, not specificity, decides', facts: facts({ answers: {}, language: 'es' }), rule: 'Spanish speakers', team: 'spanish', priority: 1 },
    { name: 'the last rule', facts: facts({ answers: {}, language: 'en' }), rule: 'Billing', team: 'billing', priority: 1 },
    { name: 'the default rule catches the rest', facts: facts({ answers: {}, language: 'en', inquiryType: 'other' }), rule: 'default', team: 'general', priority: 0 },
  ];
  it.each(cases)('$name', ({ facts: f, rule, team, priority }) => {
    const decision = route(f, rules, { team: 'general', priority: 'low' }, vip);
    expect(decision).toMatchObject({ rule, team, priority });
    expect(decision.reason).toContain(rule === 'default' ? 'No rule matched' : `Rule "${rule}"`);
  });

  it('explains each condition that matched', () => {
    expect(route(facts(), rules, { priority: 'normal' }, vip).reason).toBe(
      'Rule "VIP billing": inquiry type is billing and VIP (plan is Wholesale) → team billing, urgent priority',
    );
  });

  it('leaves a conversation in Unassigned when no rule matches and the default names no team', () => {
    expect(route(facts({ inquiryType: 'x', language: 'de', answers: {} }), rules, { priority: 'high' })).toEqual({
      rule: 'default',
      team: null,
      priority: 2,
      reason: 'No rule matched and no default team: waits in Unassigned',
    });
  });

  it('uses the default rule when there are no rules at all', () => {
    expect(route(facts(), [], { team: 'billing', priority: 'normal' })).toMatchObject({ rule: 'default', team: 'billing', priority: 1 });
  });

  it('says why a rule without conditions matched', () => {
    expect(route(facts(), [{ name: 'Everyone', when: {}, team: 't', priority: 'low' }], { priority: 'normal' }).reason).toContain(
      'it matches every conversation',
    );
  });
});

describe('helpers', () => {
  it.each([
    ['es', 'es', true],
    ['es', 'ES-mx', true],
    ['es', 'est', false],
    ['zh-Hant', 'zh-Hant-TW', true],
    ['zh-Hant', 'zh', false],
  ] as const)('language %s matches %s: %s', (wanted, actual, expected) => {
    expect(languageMatches(wanted, actual)).toBe(expected);
  });

  it.each([
    ['*/checkout*', 'https://a.example/checkout', true],
    ['*/checkout*', 'https://a.example/cart', false],
    ['https://a.example/(x)+', 'https://a.example/(x)+', true],
    ['https://a.example/(x)+', 'https://a.example/xx', false],
    ['https://a.example/', 'HTTPS://A.example/', true],
    ['https://a.example/', 'https://a.example/x', false],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['', '', true],
    ['', 'x', false],
    ['**', 'x', true],
    ['a*', 'a', true],
    ['*a', 'a', true],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['ab*ba', 'aba', false],
    ['*/shop/*/pay', 'https://x.test/shop/42/pay', true],
    ['*/shop/*/pay', 'https://x.test/shop/42/pay/again', false],
    ['*/shop/*/pay*', 'https://x.test/shop/42/pay/again', true],
    ['*.example/*', 'https://a.example/x', true],
    ['*.example/*', 'https://aexample/x', false],
    ['*?q=[1]*', 'https://a.test/?q=[1]&r', true],
    ['*$^\\d*', 'https://a.test/$^\\d', true],
    ['*á*', 'https://a.test/ÁRBOL', true],
    ['*a*a*a*a*a*a*a*b', 'a'.repeat(60), false],
    ['*a*a*a*a*a*a*a*b', `${'a'.repeat(60)}b`, true],
  ] as const)('pattern %s on %s: %s', (pattern, url, expected) => {
    expect(urlPatternMatches(pattern, url)).toBe(expected);
  });

  it('matches hostile patterns against the longest URLs in linear time', () => {
    const url = `https://a.test/${'a'.repeat(2030)}`;
    const hostile = `*${'a*'.repeat(40)}b`;
    const started = performance.now();
    for (let i = 0; i < 100; i += 1) expect(urlPatternMatches(hostile, url)).toBe(false);
    expect(urlPatternMatches(`*${'a*'.repeat(40)}`, url)).toBe(true);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('treats an attribute without listed values as a flag', () => {
    const flag: VipDefinition = { attribute: { key: 'vip' } };
    expect(vipReason(facts({ attributes: { vip: true } }), flag)).toBe('vip is true');
    expect(vipReason(facts({ attributes: { vip: 'no' } }), flag)).toBeNull();
    expect(vipReason(facts({ attributes: { vip: 0 } }), flag)).toBeNull();
    expect(vipReason(facts({ answers: { vip: 'yes' } }), flag)).toBe('vip is yes');
  });

  it('finds no VIP without any definition', () => {
    expect(vipReason(facts(), {})).toBeNull();
  });
});
