import type { Ack } from '../../../protocol/src/index';
import { toAckError } from '../errors';
import type { Logger } from '../logger';

type AckFn<T> = (ack: Ack<T>) => void;

/**
 * Wraps an event handler: finds the ack even when the payload was left out,
 * answers `{ ok: true, data }` once the work is done (so after the commit),
 * and turns any error into a typed `{ ok: false, code, message }`.
 * Events sent without an ack are ignored: nobody would learn the outcome.
 */
export function handle<T>(log: Logger, event: string, work: (payload: unknown) => Promise<T>) {
  return async (...args: unknown[]): Promise<void> => {
    const ack = args.findLast((a) => typeof a === 'function') as AckFn<T> | undefined;
    if (!ack) return;
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    try {
      ack({ ok: true, data: await work(payload) });
    } catch (error) {
      const answer = toAckError(error);
      if (answer.code === 'internal_error') log.error({ err: error, event }, 'socket handler failed');
      else log.debug({ event, code: answer.code }, 'socket event rejected');
      ack(answer);
    }
  };
}
