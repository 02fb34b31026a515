import type { Config } from '../../config/schema';
import { rateLimited } from '../../errors';
import { type Counter, type CounterFactory, type CounterRule, memoryCounters } from './counters';
import { type GlobalLimits, type SiteLimits, type VisitorAction, defaultGlobalLimits, defaultSiteLimits } from './limits-config';

/** Who does something on a site: the client address always, the visitor (contact) once known. */
export interface VisitorKey {
  siteId: string;
  address: string;
  contactId?: string | null;
}

/** The English words of a refusal, per action; the survey's refusal is translated by its route. */
const REFUSED: Record<VisitorAction, string> = {
  conversations: 'too many chats started from here; try again later',
  messages: 'you are sending messages too fast; try again in a moment',
  typing: 'too many typing events',
  attachmentBytes: 'too many files sent from here; try again later',
  ratings: 'too many ratings; try again later',
  pageViews: 'too many page views',
  unreadChecks: 'too many checks; try again in a moment',
  identity: 'too many identity calls; try again in a moment',
};

/**
 * Abuse limits: what one client address and one visitor may do on a site within a window
 * (`sites.<id>.limits`), and what one agent may send (`limits.agents`). Counts live behind a
 * CounterFactory (memory by default, per node). Refusals are `rate_limited` errors that say
 * when to retry; `enabled: false` (benchmarks) allows everything.
 */
export class RateLimits {
  private readonly counters = new Map<string, Counter>();
  private readonly agentLimits: GlobalLimits['agents'];

  constructor(
    private readonly config: Pick<Config, 'sites'> & { limits?: GlobalLimits },
    private readonly factory: CounterFactory = memoryCounters,
    private readonly enabled = true,
  ) {
    this.agentLimits = (config.limits ?? defaultGlobalLimits).agents;
  }

  private counter(name: string, rule: CounterRule): Counter {
    let counter = this.counters.get(name);
    if (!counter) this.counters.set(name, (counter = this.factory.counter(name, rule)));
    return counter;
  }

  private site(siteId: string): SiteLimits {
    return this.config.sites[siteId]?.limits ?? defaultSiteLimits;
  }

  /** Takes from every counter that applies, so a refused attempt still counts; null when all allowed, else how long to wait. */
  private async wait(action: VisitorAction, who: VisitorKey, points: number): Promise<number | null> {
    if (!this.enabled) return null;
    const limits = this.site(who.siteId);
    const rule = limits[action];
    const prefix = `${who.siteId}:${action}`;
    const takes = [this.counter(`${prefix}:address`, { points: rule.perAddress, windowSeconds: rule.windowSeconds }).take(who.address, points)];
    if (who.contactId) {
      takes.push(this.counter(`${prefix}:visitor`, { points: rule.perVisitor, windowSeconds: rule.windowSeconds }).take(who.contactId, points));
      if (action === 'messages') {
        const { burst } = limits.messages;
        takes.push(this.counter(`${prefix}:burst`, { points: burst.perVisitor, windowSeconds: burst.windowSeconds }).take(who.contactId, points));
      }
    }
    let longest: number | null = null;
    for (const taken of await Promise.all(takes)) if (!taken.allowed) longest = Math.max(longest ?? 0, taken.retryAfterMs);
    return longest;
  }

  /** Counts `points` (bytes for attachments, else 1) of an action; throws `rate_limited` with `retryAfter` past a limit. */
  async visitor(action: VisitorAction, who: VisitorKey, points = 1, message = REFUSED[action]): Promise<void> {
    const wait = await this.wait(action, who, points);
    if (wait !== null) throw rateLimited(message, wait);
  }

  /** Counts one event and answers whether it is within the limits, for events without an answer (typing). */
  async allows(action: VisitorAction, who: VisitorKey): Promise<boolean> {
    return (await this.wait(action, who, 1)) === null;
  }

  /** Counts one message of an agent; throws `rate_limited` past `limits.agents.messages`. */
  async agentMessage(agentId: string): Promise<void> {
    if (!this.enabled) return;
    const { perAgent, windowSeconds } = this.agentLimits.messages;
    const taken = await this.counter('agents:messages', { points: perAgent, windowSeconds }).take(agentId);
    if (!taken.allowed) throw rateLimited('you are sending messages too fast; try again in a moment', taken.retryAfterMs);
  }
}
