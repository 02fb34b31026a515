import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Counter, memoryCounters, redisCounters } from '../../server/src/services/limits/counters';
import { LoginThrottle } from '../../server/src/services/login-throttle';

/**
 * The limit counters' contract against both implementations with real time (Redis keeps its own
 * clock): the in-memory one, and Redis at REDIS_URL (which `.ci/run` exports; the machine's Redis
 * on 127.0.0.1:6379 otherwise). Two "nodes" sharing Redis meet one limit.
 */
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const client = createClient({ url });
const other = createClient({ url });
const run = `${process.pid}-${Date.now()}`;

beforeAll(async () => {
  await Promise.all([client.connect(), other.connect()]);
});
afterAll(async () => {
  const keys = await client.keys(`parley-test:${run}:*`);
  if (keys.length) await client.del(keys);
  await Promise.all([client.quit(), other.quit()]);
});

const factories = () =>
  [
    ['memory', memoryCounters],
    ['redis', redisCounters(client, `parley-test:${run}`)],
  ] as const;

describe.each(factories())('%s counters, real time', (name, factory) => {
  it('allow the rule’s points in a window, refuse with the time left, and allow again after it', async () => {
    const counter: Counter = factory.counter(`a-${name}`, { points: 3, windowSeconds: 1 });
    for (let i = 0; i < 3; i++) expect(await counter.take('k')).toEqual({ allowed: true });
    const refused = await counter.take('k');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(1000);
    }
    await new Promise((r) => setTimeout(r, 1100));
    expect((await counter.take('k')).allowed).toBe(true);
  });

  it('count keys apart and take several points at once', async () => {
    const counter = factory.counter(`b-${name}`, { points: 100, windowSeconds: 60 });
    expect((await counter.take('a', 100)).allowed).toBe(true);
    expect((await counter.take('a', 1)).allowed).toBe(false);
    expect((await counter.take('b', 60)).allowed).toBe(true);
    expect((await counter.take('b', 41)).allowed).toBe(false);
  });
});

describe('Redis counters across nodes', () => {
  it('two nodes with their own clients meet one limit', async () => {
    const nodeA = redisCounters(client, `parley-test:${run}`).counter('shared', { points: 10, windowSeconds: 60 });
    const nodeB = redisCounters(other, `parley-test:${run}`).counter('shared', { points: 10, windowSeconds: 60 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? nodeA : nodeB).take('script-address')));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    // the memory counters of two nodes would each have allowed 10
    const memA = memoryCounters.counter(`mem-${run}-a`, { points: 10, windowSeconds: 60 });
    const memB = memoryCounters.counter(`mem-${run}-b`, { points: 10, windowSeconds: 60 });
    const local = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? memA : memB).take('script-address')));
    expect(local.filter((r) => r.allowed)).toHaveLength(20);
  });

  it('share the login throttle: a guesser spread over two nodes meets one limit, and a success clears the account', async () => {
    const nodeA = new LoginThrottle({ perAccount: 3, perAddress: 100 }, redisCounters(client, `parley-test:${run}`));
    const nodeB = new LoginThrottle({ perAccount: 3, perAddress: 100 }, redisCounters(other, `parley-test:${run}`));
    for (const node of [nodeA, nodeB, nodeA]) {
      await node.check('203.0.113.9', 'Ana@Example.com');
      await node.failed('203.0.113.9', 'ana@example.com');
    }
    await expect(nodeB.check('203.0.113.9', 'ana@example.com')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(nodeA.check('203.0.113.9', 'ana@example.com')).rejects.toMatchObject({ code: 'rate_limited' });
    // another account from the same address is not held back
    await nodeB.check('203.0.113.9', 'bo@example.com');
    await nodeA.succeeded('203.0.113.9', 'ana@example.com');
    await nodeB.check('203.0.113.9', 'ana@example.com');
  });
});
