/** Repeating timers behind an interface, so tests drive them with a fake clock. */
export interface Scheduler {
  /** Runs `task` every `ms` milliseconds until the returned stop is called. */
  every(ms: number, task: () => void): () => void;
}

/** Real timers that never keep the process alive on their own. */
export const systemScheduler: Scheduler = {
  every(ms, task) {
    const timer = setInterval(task, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** A scheduler that runs only when told to: `runAll()` fires every task once. */
export function manualScheduler(): Scheduler & { runAll(): void; size(): number } {
  const tasks = new Set<() => void>();
  return {
    every(_ms, task) {
      tasks.add(task);
      return () => tasks.delete(task);
    },
    runAll() {
      for (const task of [...tasks]) task();
    },
    size: () => tasks.size,
  };
}

/**
 * A periodic job that runs one at a time: a call while a run is in progress joins it rather than
 * starting a second. `settled` waits for the run in progress (tests, shutdown); errors go to `onError`.
 */
export function oneAtATime(task: () => Promise<void>, onError: (err: unknown) => void): { run(): Promise<void>; settled(): Promise<void> } {
  let running: Promise<void> | null = null;
  return {
    run() {
      running ??= task()
        .catch(onError)
        .finally(() => (running = null));
      return running;
    },
    async settled() {
      await running;
    },
  };
}
