import type { Event } from 'socket.io';

/** Records one socket event answered after `seconds`; `ok` false for a refusal. */
export type ObserveEvent = (event: string, seconds: number, ok: boolean) => void;

/**
 * A socket middleware that times each event from its arrival to its ack: one hrtime when it
 * comes in, one when the ack goes out. Events sent without an ack are not timed.
 */
export function timeAcks(observe: ObserveEvent) {
  return (packet: Event, next: (err?: Error) => void): void => {
    const last = packet.length - 1;
    const ack = packet[last] as unknown;
    if (last > 0 && typeof ack === 'function') {
      const started = process.hrtime.bigint();
      const event = String(packet[0]);
      packet[last] = (answer: { ok?: boolean } | undefined) => {
        observe(event, Number(process.hrtime.bigint() - started) / 1e9, answer?.ok !== false);
        (ack as (answer: unknown) => void)(answer);
      };
    }
    next();
  };
}
