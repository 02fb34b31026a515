import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../server/src/config/load';

const site = { demo: { name: 'Demo' } };
const problems = (routing: unknown): string[] => {
  try {
    validateConfig({ sites: site, routing });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('the routing section of the config', () => {
  it('fills in defaults when it is left out', () => {
    const config = validateConfig({ sites: site });
    expect(config.routing).toMatchObject({
      teams: {},
      rules: [],
      defaultCapacity: 3,
      stickyReturning: true,
      presence: { awayAfterSeconds: 120, offlineAfterSeconds: 900, offlineGraceSeconds: 300, sweepSeconds: 5 },
      default: { priority: 'normal' },
    });
  });

  it.each([
    [{ rules: [{ name: 'x', team: 'ghosts' }] }, 'routing.rules[0].team: unknown team "ghosts"'],
    [{ teams: { a: { name: 'A' } }, default: { team: 'b' } }, 'routing.default.team: unknown team "b"'],
    [{ teams: { a: { name: 'A', fallback: 'zz' } } }, 'routing.teams.a.fallback: unknown team "zz"'],
    [{ teams: { a: { name: 'A', fallback: 'b' }, b: { name: 'B', fallback: 'a' } } }, 'routing.teams.a.fallback: fallback teams form a cycle through "a"'],
    [{ teams: { a: { name: 'A', members: ['not an email'] } } }, 'routing.teams.a.members[0]: expected an email'],
    [{ teams: { a: { name: 'A', assignment: 'random' } } }, 'routing.teams.a.assignment: expected least-busy or round-robin'],
    [{ teams: { a: { name: 'A', capacity: 0 } } }, 'routing.teams.a.capacity: capacity is at least 1'],
    [{ teams: { 'Bad Id': { name: 'A' } } }, 'routing.teams.Bad Id: expected a team id of lowercase letters, digits and -'],
    [{ teams: { a: { name: 'A' } }, rules: [{ name: 'x', team: 'a', priority: 'asap' }] }, 'routing.rules[0].priority: expected one of low, normal, high, urgent'],
    [{ teams: { a: { name: 'A' } }, rules: [{ name: 'x', team: 'a', when: { country: ['Spain'] } }] }, 'routing.rules[0].when.country[0]: expected a two-letter country code such as ES'],
    [{ teams: { a: { name: 'A' } }, rules: [{ name: 'x', team: 'a', when: { language: [] } }] }, 'routing.rules[0].when.language: expected at least one language'],
    [{ vip: { emailDomains: ['not a domain'] } }, 'routing.vip.emailDomains[0]: expected a domain such as example.com'],
    [{ agents: [{ email: 'a@example.com' }, { email: 'A@example.com' }] }, 'routing.agents[1].email: a@example.com is listed twice'],
    [{ presence: { awayAfterSeconds: -5 } }, 'routing.presence.awayAfterSeconds: Invalid value: Expected >=1 but received -5'],
  ])('names the exact path of a mistake: %j', (routing, expected) => {
    // the loader adds what it received; the path and message are what matter here
    expect(problems(routing).map((p) => p.replace(/ \(received .*\)$/, ''))).toContain(expected);
  });

  it('accepts the demo-like shape with every condition kind', () => {
    expect(
      problems({
        teams: { billing: { name: 'Billing', members: ['Lucia@Example.com'], capacity: 2, fallback: 'tech' }, tech: { name: 'Tech' } },
        vip: { attribute: { key: 'plan', values: ['gold'] }, labels: ['vip'], emailDomains: ['Partners.Example'] },
        rules: [
          {
            name: 'All',
            team: 'billing',
            priority: 'urgent',
            when: { inquiryType: ['billing'], language: ['es'], country: ['es'], vip: true, contact: 'returning', site: ['demo'], pageUrl: '*/checkout*', fields: { plan: ['gold', 'silver'], vat: true, count: 3 } },
          },
        ],
        default: { team: 'tech', priority: 'low' },
      }),
    ).toEqual([]);
  });
});
