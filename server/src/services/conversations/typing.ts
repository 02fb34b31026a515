/** Most typing events relayed per socket and conversation in one window. */
const PER_WINDOW = 5;
const WINDOW_MS = 1000;

/**
 * Drops typing events past a few per second for one key (socket and
 * conversation); a typing:false always passes, so an indicator never sticks.
 */
export class TypingThrottle {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when this event may be relayed. */
  allow(key: string, typing: boolean): boolean {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= WINDOW_MS) {
      w = { start: t, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.prune(t);
    }
    w.count += 1;
    return !typing || w.count <= PER_WINDOW;
  }

  /** Forgets a socket's keys (on disconnect). */
  forget(prefix: string): void {
    for (const key of this.windows.keys()) if (key.startsWith(prefix)) this.windows.delete(key);
  }

  private prune(t: number): void {
    for (const [key, w] of this.windows) if (t - w.start >= WINDOW_MS) this.windows.delete(key);
  }
}
