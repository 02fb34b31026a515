/**
 * socket.io-client's `io()` as the widget uses it: one namespace per connection, JSON events, acks
 * with a deadline (`timeout(ms).emitWithAck`), reconnection with backoff, and the events `connect`,
 * `disconnect` and `connect_error`. It speaks the same protocol (Socket.IO 5 over Engine.IO 4,
 * engine.io-client underneath) and behaves as socket.io-client 4.8 does in those calls; what the
 * widget never calls (a Manager shared by namespaces, volatile and broadcast flags, acks the server
 * asks of the client, catch-all listeners, connection state recovery, reconnection events) is not
 * here. The widget build puts it in place of the package (see rollup.config.mjs); the widget's
 * transport test runs the same cases against it and against socket.io-client itself.
 */
import { Emitter } from '@socket.io/component-emitter';
import { Socket as Engine, type SocketOptions } from 'engine.io-client';
import { Decoder, Encoder, type Packet } from 'socket.io-parser';

const CONNECT = 0;
const DISCONNECT = 1;
const EVENT = 2;
const ACK = 3;
const CONNECT_ERROR = 4;

type Ack = (error: Error | null, value?: unknown) => void;

/** The options the widget passes: its auth, and Engine.IO's own (transports, tryAllTransports). */
export type LeanOptions = Partial<SocketOptions> & { auth?: Record<string, unknown> };

// biome-ignore lint/suspicious/noExplicitAny: the widget's own event maps type the payloads (widget/src/transport.ts)
type Events = Record<string, (...args: any[]) => void>;

export class Socket extends Emitter<Events, Events, Events> {
  /** Connected to the namespace: emits go out at once (else they wait for the next connect). */
  connected = false;
  /** Connects and reconnects by itself; false after `disconnect()`, a refusal or the server's disconnect. */
  active = false;
  /** Engine.IO's socket of the current attempt. */
  engine: Engine | undefined;

  private readonly decoder = new Decoder();
  private readonly encoder = new Encoder();
  private readonly acks = new Map<number, Ack>();
  /** Packets emitted while not connected, sent on the next connect. */
  private buffer: Packet[] = [];
  private ids = 0;
  private attempts = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly uri: string,
    private readonly nsp: string,
    private readonly opts: LeanOptions,
  ) {
    super();
    this.decoder.on('decoded', (packet: Packet) => this.receive(packet));
    this.connect();
  }

  /** Opens the connection (again, after a refusal or a `disconnect()`); does nothing while connected or connecting. */
  connect(): this {
    if (this.active) return this;
    this.active = true;
    this.open();
    return this;
  }

  /** Leaves the namespace and closes the connection for good (until `connect()`). */
  disconnect(): this {
    if (this.connected) this.send({ type: DISCONNECT, nsp: this.nsp });
    this.active = false;
    this.close('io client disconnect');
    return this;
  }

  /** Sends an event without an ack. */
  override emit(event: string, ...args: unknown[]): this {
    this.out({ type: EVENT, nsp: this.nsp, data: [event, ...args] });
    return this;
  }

  /** `timeout(ms).emitWithAck(event, ...args)`: the ack's value, or a rejection once `ms` passed without it. */
  timeout(ms: number) {
    return {
      emitWithAck: (event: string, ...args: unknown[]): Promise<unknown> =>
        new Promise((resolve, reject) => {
          const id = this.ids++;
          const packet: Packet = { type: EVENT, nsp: this.nsp, id, data: [event, ...args] };
          const timer = setTimeout(() => {
            this.acks.delete(id);
            this.buffer = this.buffer.filter((p) => p !== packet);
            reject(new Error('operation has timed out'));
          }, ms);
          this.acks.set(id, (error, value) => {
            clearTimeout(timer);
            if (error) reject(error);
            else resolve(value);
          });
          this.out(packet);
        }),
    };
  }

  private out(packet: Packet): void {
    if (this.connected) this.send(packet);
    else this.buffer.push(packet);
  }

  private send(packet: Packet): void {
    for (const encoded of this.encoder.encode(packet)) this.engine?.write(encoded);
  }

  private open(): void {
    clearTimeout(this.retry);
    const engine = (this.engine = new Engine(this.uri, { path: '/socket.io', ...this.opts }));
    engine.on('open', () => this.send({ type: CONNECT, nsp: this.nsp, data: this.opts.auth }));
    engine.on('data', (data) => {
      try {
        this.decoder.add(data);
      } catch (err) {
        // not a packet of this protocol: drop the connection and start over, as socket.io-client does
        this.close('parse error', err);
      }
    });
    engine.on('error', (err) => this.connected || this.emitReserved('connect_error', err));
    engine.on('close', (reason) => this.close(reason));
  }

  /** The connection is gone (or refused): tells the owner, fails the acks it can no longer get, and tries again while active. */
  private close(reason: string, _description?: unknown): void {
    clearTimeout(this.retry);
    const engine = this.engine;
    this.engine = undefined;
    engine?.off();
    engine?.close();
    const was = this.connected;
    this.connected = false;
    if (was) {
      // the acks of packets already sent can no longer come; those still buffered wait for the next connect
      for (const [id, ack] of this.acks) {
        if (this.buffer.some((p) => p.id === id)) continue;
        this.acks.delete(id);
        ack(new Error('socket has been disconnected'));
      }
      this.emitReserved('disconnect', reason);
    }
    if (!this.active) return;
    // 1 s, 2 s, 4 s, then 5 s, each ±50 %: socket.io-client's defaults
    const delay = Math.min(1000 * 2 ** this.attempts++, 5000) * (0.5 + Math.random());
    this.retry = setTimeout(() => this.open(), delay);
  }

  private receive(packet: Packet): void {
    if (packet.nsp !== this.nsp) return;
    const data = packet.data as { sid?: string; message?: string; data?: unknown } & unknown[];
    if (packet.type === CONNECT) {
      this.connected = true;
      this.attempts = 0;
      this.emitReserved('connect');
      const buffered = this.buffer;
      this.buffer = [];
      for (const p of buffered) this.send(p);
    } else if (packet.type === EVENT) {
      this.emitReserved(...(data as [string, ...unknown[]]));
    } else if (packet.type === ACK) {
      const ack = this.acks.get(packet.id as number);
      this.acks.delete(packet.id as number);
      ack?.(null, data[0]);
    } else {
      // DISCONNECT from the server, or CONNECT_ERROR (its middleware refused): no retry by itself
      this.active = false;
      this.close('io server disconnect');
      if (packet.type === CONNECT_ERROR) this.emitReserved('connect_error', Object.assign(new Error(data.message), { data: data.data }));
    }
  }
}

/** `io('https://host/namespace', options)`: connects at once. */
export function io(url: string, opts: LeanOptions = {}): Socket {
  const { origin, pathname } = new URL(url);
  return new Socket(origin, pathname, opts);
}
