import type { Server, Socket } from 'socket.io';
import { Namespaces } from '../../../protocol/src/index';

/**
 * The door of the socket server for a graceful shutdown: counts the events whose
 * ack is still owed, and on `close` stops taking new connections and new events,
 * so that every event already taken is answered before the sockets close.
 */
export interface EventGate {
  /** Events taken whose ack has not been sent yet. */
  readonly pending: number;
  /** From now on: new connections are refused and new events dropped unanswered (the client resends them after reconnecting). */
  close(): void;
  /** Resolves once no ack is owed, or after `ms` (then with the number still owed). */
  idle(ms: number): Promise<number>;
  /** Closes every connection after what was written to it (the acks) is flushed; resolves when all are gone, or after `ms`. */
  disconnectAll(ms: number): Promise<void>;
}

/** Installs the gate on both namespaces; call before any client connects. */
export function createEventGate(io: Server): EventGate {
  let open = true;
  let pending = 0;
  let wake: (() => void) | null = null;

  const answered = () => {
    pending -= 1;
    if (pending === 0) wake?.();
  };

  const track = (socket: Socket) =>
    socket.use((event, next) => {
      // dropped, not refused: with no ack the client keeps the message in its outbox and resends it to the next server
      if (!open) return;
      const last = event.length - 1;
      const ack: unknown = event[last];
      if (typeof ack !== 'function') return next();
      pending += 1;
      let done = false;
      const settle = () => {
        if (done) return;
        done = true;
        answered();
      };
      event[last] = (...args: unknown[]) => {
        settle();
        return (ack as (...a: unknown[]) => unknown)(...args);
      };
      next();
      // socket.io hands the event over on the next tick, and drops it when the socket closed meanwhile
      // or nobody listens to it: then no ack will ever come (this middleware runs last)
      process.nextTick(() => {
        if (!socket.connected || socket.listeners(event[0]).length === 0) settle();
      });
    });

  for (const name of [Namespaces.visitor, Namespaces.agent]) {
    const nsp = io.of(name);
    nsp.use((_socket, next) => (open ? next() : next(new Error('server shutting down'))));
    nsp.on('connection', track);
  }

  return {
    get pending() {
      return pending;
    },
    close() {
      open = false;
      // a handshake on a kept-alive connection is refused like a closed port: the client backs off and retries
      io.engine.opts.allowRequest = (_req, callback) => callback('server shutting down', false);
    },
    async idle(ms) {
      if (pending === 0) return 0;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
      return pending;
    },
    async disconnectAll(ms) {
      // conn.close(), not io.close() (which discards): the engine waits until its write buffer (the last acks) is flushed;
      // the client sees a transport close, not a server disconnect, so it reconnects on its own
      const namespaces = [Namespaces.visitor, Namespaces.agent].map((name) => io.of(name));
      for (const nsp of namespaces) for (const socket of nsp.sockets.values()) socket.conn.close();
      const until = Date.now() + ms;
      while (namespaces.some((nsp) => nsp.sockets.size > 0) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}
