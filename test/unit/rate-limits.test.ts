import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateConfig } from '../../server/src/config/load';
import { AppError } from '../../server/src/errors';
import { type CounterFactory, memoryCounters } from '../../server/src/services/limits/counters';
import { RateLimits } from '../../server/src/services/limits/rate-limits';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2025-03-01T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Every implementation of the counter seam; a Redis one joins this list. */
const implementations: [string, CounterFactory][] = [['memory', memoryCounters]];

describe.each(implementations)('%s counters (the contract every implementation keeps)', (_name, factory) => {
  it('allows the rule’s points in a window, then refuses with the time left', async () => {
    const counter = factory.counter(`contract-a-${Math.random()}`, { points: 3, windowSeconds: 10 });
    for (let i = 0; i < 3; i++) expect(await counter.take('k')).toEqual({ allowed: true });
    vi.advanceTimersByTime(4000);
    const refused = await counter.take('k');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterMs).toBeGreaterThan(5000), expect(refused.retryAfterMs).toBeLessThanOrEqual(6000);
  });

  it('counts keys apart and takes several points at once', async () => {
    const counter = factory.counter(`contract-b-${Math.random()}`, { points: 100, windowSeconds: 60 });
    expect((await counter.take('a', 100)).allowed).toBe(true);
    expect((await counter.take('a', 1)).allowed).toBe(false);
    expect((await counter.take('b', 60)).allowed).toBe(true);
    expect((await counter.take('b', 41)).allowed).toBe(false);
  });

  it('allows again once the window has passed', async () => {
    const counter = factory.counter(`contract-c-${Math.random()}`, { points: 1, windowSeconds: 5 });
    expect((await counter.take('k')).allowed).toBe(true);
    expect((await counter.take('k')).allowed).toBe(false);
    vi.advanceTimersByTime(5001);
    expect((await counter.take('k')).allowed).toBe(true);
  });
});

const limitsFor = (limits: unknown = {}, enabled = true) =>
  new RateLimits(validateConfig({ sites: { demo: { name: 'Demo', limits } }, limits: { agents: { messages: { perAgent: 2 } } } }), memoryCounters, enabled);

/** Takes until refused (at most `max` times); how many were allowed and the refusal. */
async function until(take: () => Promise<void>, max = 1000): Promise<{ allowed: number; refusal: AppError | null }> {
  for (let allowed = 0; allowed < max; allowed++) {
    try {
      await take();
    } catch (error) {
      if (error instanceof AppError) return { allowed, refusal: error };
      throw error;
    }
  }
  return { allowed: max, refusal: null };
}

describe('abuse limits', () => {
  const ana = { siteId: 'demo', address: '203.0.113.7', contactId: 'ana' };

  it('stops a visitor’s burst at 10 messages in 5 seconds, telling when to retry', async () => {
    const limits = limitsFor();
    const { allowed, refusal } = await until(() => limits.visitor('messages', ana));
    expect(allowed).toBe(10);
    expect(refusal).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(refusal?.retryAfter).toBe(5);
  });

  it('lets a visitor who keeps a person’s pace send 30 messages a minute, not 31', async () => {
    const limits = limitsFor();
    for (let i = 0; i < 30; i++) {
      await limits.visitor('messages', ana);
      vi.advanceTimersByTime(1000);
    }
    const refused = await until(() => limits.visitor('messages', ana));
    expect(refused.allowed).toBe(0);
    expect(refused.refusal?.retryAfter).toBeGreaterThan(0);
    expect(refused.refusal?.retryAfter).toBeLessThanOrEqual(30);
    vi.advanceTimersByTime(60_000);
    await expect(limits.visitor('messages', ana)).resolves.toBeUndefined();
  });

  it('counts one address over all its visitors, and another address apart', async () => {
    const limits = limitsFor({ conversations: { perAddress: 5, perVisitor: 100 } });
    const fromOne = await until(() => limits.visitor('conversations', { siteId: 'demo', address: '203.0.113.7', contactId: crypto.randomUUID() }));
    expect(fromOne.allowed).toBe(5);
    expect(fromOne.refusal?.retryAfter).toBe(3600);
    await expect(limits.visitor('conversations', { siteId: 'demo', address: '198.51.100.2', contactId: null })).resolves.toBeUndefined();
  });

  it('counts the bytes of attachments, not the files', async () => {
    const limits = limitsFor({ attachmentBytes: { perVisitor: 1000 } });
    await limits.visitor('attachmentBytes', ana, 600);
    await expect(limits.visitor('attachmentBytes', ana, 600)).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(limits.visitor('attachmentBytes', { ...ana, contactId: 'bob' }, 600)).resolves.toBeUndefined();
  });

  it('answers typing with a yes or no instead of an error', async () => {
    const limits = limitsFor();
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await limits.allows('typing', ana));
    expect(answers).toEqual([true, true, true, true, true, false, false, false]);
    vi.advanceTimersByTime(1000);
    expect(await limits.allows('typing', ana)).toBe(true);
  });

  it('limits each agent’s messages by the global setting', async () => {
    const limits = limitsFor();
    await limits.agentMessage('alex');
    await limits.agentMessage('alex');
    await expect(limits.agentMessage('alex')).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 60 });
    await expect(limits.agentMessage('sam')).resolves.toBeUndefined();
  });

  it('allows everything when turned off', async () => {
    const limits = limitsFor({}, false);
    expect((await until(() => limits.visitor('messages', ana), 500)).allowed).toBe(500);
    await limits.agentMessage('alex');
    await limits.agentMessage('alex');
    await expect(limits.agentMessage('alex')).resolves.toBeUndefined();
  });
});
