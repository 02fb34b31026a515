import { describe, expect, it } from 'vitest';
import { type Candidate, allAtCapacity, chooseAgent, compareQueue, hasRoom } from '../../../server/src/domain/assignment';

const agent = (id: string, over: Partial<Candidate> = {}): Candidate => ({ id, online: true, load: 0, capacity: 3, lastAssignedAt: null, ...over });

describe('choosing an agent', () => {
  const cases: { name: string; candidates: Candidate[]; mode: 'least-busy' | 'round-robin'; expected: string | null }[] = [
    { name: 'least busy first', mode: 'least-busy', candidates: [agent('a', { load: 2 }), agent('b', { load: 1 }), agent('c', { load: 2 })], expected: 'b' },
    {
      name: 'round robin among equally busy: who waited longest',
      mode: 'least-busy',
      candidates: [agent('a', { load: 1, lastAssignedAt: '2025-01-01T10:02:00Z' }), agent('b', { load: 1, lastAssignedAt: '2025-01-01T10:01:00Z' })],
      expected: 'b',
    },
    { name: 'never-assigned agents go before the others', mode: 'least-busy', candidates: [agent('a', { lastAssignedAt: '2025-01-01T10:00:00Z' }), agent('b')], expected: 'b' },
    { name: 'ties broken by id', mode: 'least-busy', candidates: [agent('b'), agent('a')], expected: 'a' },
    {
      name: 'plain round robin ignores load',
      mode: 'round-robin',
      candidates: [agent('a', { load: 0, lastAssignedAt: '2025-01-01T10:05:00Z' }), agent('b', { load: 2, lastAssignedAt: '2025-01-01T10:01:00Z' })],
      expected: 'b',
    },
    { name: 'an agent at capacity gets nothing', mode: 'least-busy', candidates: [agent('a', { load: 3 }), agent('b', { load: 2, capacity: 2 })], expected: null },
    { name: 'an agent over capacity gets nothing', mode: 'round-robin', candidates: [agent('a', { load: 5 })], expected: null },
    { name: 'offline or away agents get nothing', mode: 'least-busy', candidates: [agent('a', { online: false }), agent('b', { load: 2 })], expected: 'b' },
    { name: 'nobody at all', mode: 'least-busy', candidates: [], expected: null },
  ];
  it.each(cases)('$name', ({ candidates, mode, expected }) => {
    expect(chooseAgent(candidates, mode)?.agentId ?? null).toBe(expected);
  });

  it('says why', () => {
    expect(chooseAgent([agent('a', { load: 1 })], 'least-busy')?.why).toBe('least busy online agent (1/3)');
    expect(chooseAgent([agent('a')], 'round-robin')?.why).toBe('next in round robin');
  });

  it('spreads a run of conversations evenly over equally free agents', () => {
    const team = [agent('a'), agent('b'), agent('c')];
    const given: string[] = [];
    for (let i = 0; i < 9; i += 1) {
      const choice = chooseAgent(team, 'least-busy');
      if (!choice) break;
      const picked = team.find((c) => c.id === choice.agentId) as Candidate;
      picked.load += 1;
      picked.lastAssignedAt = `2025-01-01T10:00:0${i}Z`;
      given.push(picked.id);
    }
    expect(given).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
    expect(chooseAgent(team, 'least-busy')).toBeNull();
  });
});

describe('the queue', () => {
  const queue = [
    { id: 'late-normal', priority: 1, queuedAt: '2025-01-01T10:05:00Z' },
    { id: 'early-normal', priority: 1, queuedAt: '2025-01-01T10:01:00Z' },
    { id: 'late-urgent', priority: 3, queuedAt: '2025-01-01T10:09:00Z' },
    { id: 'low', priority: 0, queuedAt: '2025-01-01T09:00:00Z' },
    { id: 'b-same-time', priority: 1, queuedAt: '2025-01-01T10:05:00Z' },
  ];
  it('orders by priority, then arrival, then id', () => {
    expect([...queue].sort(compareQueue).map((e) => e.id)).toEqual(['late-urgent', 'early-normal', 'b-same-time', 'late-normal', 'low']);
  });
});

describe('capacity', () => {
  it.each([
    ['online with room', agent('a', { load: 2 }), true],
    ['online and full', agent('a', { load: 3 }), false],
    ['offline with room', agent('a', { online: false }), false],
  ] as const)('%s: room %s', (_name, candidate, expected) => {
    expect(hasRoom(candidate)).toBe(expected);
  });
  it.each([
    ['everyone online is full', [agent('a', { load: 3 }), agent('b', { load: 3 }), agent('c', { online: false })], true],
    ['someone online has room', [agent('a', { load: 3 }), agent('b', { load: 1 })], false],
    ['nobody online is not "at capacity"', [agent('a', { online: false })], false],
    ['no agents at all', [], false],
  ] as const)('%s', (_name, candidates, expected) => {
    expect(allAtCapacity(candidates)).toBe(expected);
  });
});
