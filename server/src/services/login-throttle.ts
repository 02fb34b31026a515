import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { type CounterFactory, memoryCounters } from './limits/counters';
import { rateLimited } from '../errors';

export interface LoginThrottleOptions {
  /** Failed sign-ins allowed per address and email within the window. */
  perAccount?: number;
  /** Failed sign-ins allowed per address, whatever the email, within the window. */
  perAddress?: number;
  windowSeconds?: number;
}

/**
 * Slows password guessing: only failed sign-ins count, per (address, email)
 * and per address; a success clears the account's count. Counted where the limit counters are:
 * this process's memory, or Redis (REDIS_URL), so a guesser spread over nodes meets one limit.
 */
export class LoginThrottle {
  private readonly account: RateLimiterAbstract;
  private readonly address: RateLimiterAbstract;

  constructor(options: LoginThrottleOptions = {}, counters: CounterFactory = memoryCounters) {
    const windowSeconds = options.windowSeconds ?? 15 * 60;
    this.account = counters.limiter('login-account', { points: options.perAccount ?? 10, windowSeconds });
    this.address = counters.limiter('login-address', { points: options.perAddress ?? 50, windowSeconds });
  }

  private static key(address: string, email: unknown): string {
    return `${address}|${typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : ''}`;
  }

  /** Throws `rate_limited` when this address, or this address for this email, used up its failures. */
  async check(address: string, email: unknown): Promise<void> {
    const [byAccount, byAddress] = await Promise.all([this.account.get(LoginThrottle.key(address, email)), this.address.get(address)]);
    const spent = (res: RateLimiterRes | null, limit: number) => res !== null && res.consumedPoints >= limit;
    if (spent(byAccount, this.account.points) || spent(byAddress, this.address.points)) {
      const wait = Math.max(byAccount?.msBeforeNext ?? 0, byAddress?.msBeforeNext ?? 0);
      throw rateLimited(`too many failed sign-ins; try again in ${Math.ceil(wait / 60_000)} minutes`, wait);
    }
  }

  /** Counts one failed sign-in. */
  async failed(address: string, email: unknown): Promise<void> {
    const swallow = (e: unknown) => {
      // a limiter that is already spent rejects with its state; the count is what matters
      if (!(e instanceof RateLimiterRes)) throw e;
    };
    await Promise.all([this.account.consume(LoginThrottle.key(address, email)).catch(swallow), this.address.consume(address).catch(swallow)]);
  }

  /** Forgets the failures of an account that signed in. */
  async succeeded(address: string, email: unknown): Promise<void> {
    await this.account.delete(LoginThrottle.key(address, email));
  }
}
