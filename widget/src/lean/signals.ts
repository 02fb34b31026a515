/**
 * The part of @preact/signals-core the widget uses (`signal`, `computed`, `effect`, `batch`) at a
 * tenth of its weight; the widget build puts it in place of the package (see rollup.config.mjs) and
 * test/unit/widget-signals.test.ts runs both through the same cases. The same rules: an effect runs
 * at once and again after a signal it read changes, writes inside `batch` (or inside an effect) run
 * the effects once at its end, and a cycle throws instead of hanging the page. What it leaves out:
 * a computed is not cached but worked out on every read (the widget's are a few comparisons, and a
 * read inside an effect tracks the signals they read), and effects have no cleanups; `peek`,
 * `untracked` and `subscribe` are missing.
 */

/** An effect that re-runs this many times in one go is taken for a cycle. */
const MAX_RUNS = 1000;

let running: Effect | undefined;
let depth = 0;
let queue: Effect[] = [];

/**
 * Leaves a batch; the outermost one runs the queued effects, still as a batch, so that their writes
 * queue behind them. An effect that throws does not stop the others: the first error is rethrown after.
 */
function end(): void {
  if (depth > 1) {
    depth--;
    return;
  }
  let failed = false;
  let error: unknown;
  for (let runs = 0; queue.length; runs++) {
    if (runs > MAX_RUNS) {
      queue = [];
      depth = 0;
      throw new Error('Cycle detected');
    }
    try {
      queue.shift()!.run();
    } catch (err) {
      if (!failed) error = err;
      failed = true;
    }
  }
  depth = 0;
  if (failed) throw error;
}

class Effect {
  /** The signals read on the last run: a write to any of them runs it again. */
  sources = new Set<Signal<unknown>>();
  queued = false;

  constructor(private fn: () => unknown) {}

  run(): void {
    this.queued = false;
    for (const source of this.sources) source.targets.delete(this);
    this.sources.clear();
    const outer = running;
    running = this;
    depth++;
    try {
      this.fn();
    } finally {
      running = outer;
      end();
    }
  }
}

export class Signal<T> {
  targets = new Set<Effect>();

  constructor(private current: T) {}

  get value(): T {
    if (running) {
      this.targets.add(running);
      running.sources.add(this as Signal<unknown>);
    }
    return this.current;
  }

  set value(next: T) {
    if (next === this.current) return;
    this.current = next;
    depth++;
    for (const effect of this.targets)
      if (!effect.queued) {
        effect.queued = true;
        queue.push(effect);
      }
    end();
  }
}

export const signal = <T>(value: T): Signal<T> => new Signal(value);

/** A value worked out from signals on every read; read inside an effect, it subscribes the effect to those signals. */
export const computed = <T>(fn: () => T): { readonly value: T } => ({
  get value() {
    return fn();
  },
});

/** Runs `fn` now and again whenever a signal it read changes. */
export function effect(fn: () => unknown): void {
  new Effect(fn).run();
}

/** Runs `fn`; the effects of its writes run once, when it returns. */
export function batch<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    end();
  }
}
