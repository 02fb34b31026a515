import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** How many points a counter allows within its window. */
export interface CounterRule {
  points: number;
  windowSeconds: number;
}

/** What taking points from a counter answered. */
export type Taken = { allowed: true } | { allowed: false; retryAfterMs: number };

/** A fixed-window counter per key: the first take starts a key's window, which then resets whole. */
export interface Counter {
  /** Takes `points` (1 unless said) for `key`; refused once the key's window holds more than the rule allows. */
  take(key: string, points?: number): Promise<Taken>;
}

/**
 * Makes counters. This is the seam where counting moves out of the process: the in-memory
 * implementation counts per node; a Redis one (rate-limiter-flexible's RateLimiterRedis has the
 * same API) counts across nodes, and callers do not change.
 */
export interface CounterFactory {
  /** A counter whose keys are prefixed with `name`, so counters of one store never mix. */
  counter(name: string, rule: CounterRule): Counter;
  /** rate-limiter-flexible's limiter itself, for callers that read and reset keys (the login throttle). */
  limiter(name: string, rule: CounterRule): RateLimiterAbstract;
}

/** The answer of rate-limiter-flexible's `consume`, resolved or rejected, as a Taken. */
async function taken(consumed: Promise<RateLimiterRes>): Promise<Taken> {
  try {
    await consumed;
    return { allowed: true };
  } catch (error) {
    // a refusal rejects with the key's state; anything else (a store that failed) is the caller's error
    if (!(error instanceof RateLimiterRes)) throw error;
    return { allowed: false, retryAfterMs: Math.max(1, error.msBeforeNext) };
  }
}

/** Counters in this process's memory (rate-limiter-flexible's RateLimiterMemory). */
export const memoryCounters: CounterFactory = {
  counter(name, rule) {
    const limiter = this.limiter(name, rule);
    return { take: (key, points = 1) => taken(limiter.consume(key, points)) };
  },
  limiter: (name, rule) => new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.windowSeconds }),
};

/**
 * Counters in Redis (rate-limiter-flexible's RateLimiterRedis with a connected node-redis client),
 * shared by every node: a script spread over several nodes meets one limit. A Redis that fails
 * makes `take` reject, and the caller answers with an internal error rather than letting it pass.
 */
export function redisCounters(client: unknown, prefix = 'parley:limits'): CounterFactory {
  return {
    counter(name, rule) {
      const limiter = this.limiter(name, rule);
      return { take: (key, points = 1) => taken(limiter.consume(key, points)) };
    },
    limiter: (name, rule) =>
      new RateLimiterRedis({
        storeClient: client,
        useRedisPackage: true,
        keyPrefix: `${prefix}:${name}`,
        points: rule.points,
        duration: rule.windowSeconds,
      }),
  };
}
