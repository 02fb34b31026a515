/** The time source of the services, replaceable in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A real clock that can be moved forward (and back): end-to-end tests of scheduled work, never production. */
export interface AdjustableClock extends Clock {
  advance(ms: number): Date;
}

export function adjustableClock(): AdjustableClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      offset += ms;
      return new Date(Date.now() + offset);
    },
  };
}
