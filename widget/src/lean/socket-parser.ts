/**
 * A JSON-only Socket.IO packet codec, wire-compatible with socket.io-parser v4
 * (protocol 5) for every packet without binary attachments. The widget build
 * puts it in place of socket.io-parser (see rollup.config.mjs): Parley's events
 * carry JSON only, and the binary machinery (packet deconstruction, attachment
 * reassembly, Blob/ArrayBuffer probes) is a tenth of the widget's socket code.
 * A binary packet from the server is refused as a parse error, which makes
 * socket.io-client drop the connection and reconnect.
 */

/** The Socket.IO protocol revision this codec speaks. */
export const protocol = 5;

/** Packet types, as socket.io-client reads them. */
export const PacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

/** A decoded packet: the shape socket.io-client hands to the encoder and expects from the decoder. */
export interface Packet {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

/** Event names only socket.io itself may emit. */
const RESERVED = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

/** type, then `/nsp,` unless the main namespace, then the ack id, then the JSON payload. */
const PACKET = /^([0-4])(\/[^,]*,?)?(\d*)([\s\S]*)$/;

const isObject = (value: unknown): boolean => Object.prototype.toString.call(value) === '[object Object]';

/** What socket.io-parser's decoder accepts for each packet type; anything else is a parse error. */
function isValidPayload(type: number, data: unknown): boolean {
  if (type === PacketType.EVENT)
    return Array.isArray(data) && (typeof data[0] === 'number' || (typeof data[0] === 'string' && !RESERVED.includes(data[0])));
  if (type === PacketType.ACK) return Array.isArray(data);
  if (type === PacketType.CONNECT_ERROR) return typeof data === 'string' || isObject(data);
  if (type === PacketType.CONNECT) return isObject(data);
  return false; // DISCONNECT carries no payload
}

/** Encodes packets as one string each. */
export class Encoder {
  encode(packet: Packet): string[] {
    const nsp = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
    const data = packet.data == null ? '' : JSON.stringify(packet.data);
    return [`${packet.type}${nsp}${packet.id ?? ''}${data}`];
  }
}

/** Decodes packet strings and hands each packet to the one `decoded` listener the manager registers. */
export class Decoder {
  private listener: ((packet: Packet) => void) | undefined;

  on(_event: 'decoded', listener: (packet: Packet) => void): void {
    this.listener = listener;
  }

  off(): void {
    this.listener = undefined;
  }

  /** Throws on anything that is not a well-formed JSON packet; the manager then closes the connection. */
  add(input: unknown): void {
    const match = typeof input === 'string' ? PACKET.exec(input) : null;
    if (!match) throw new Error('unsupported packet');
    const [, type, nsp, id, json] = match as unknown as [string, string, string | undefined, string, string];
    const packet: Packet = { type: Number(type), nsp: nsp ? nsp.replace(/,$/, '') : '/' };
    if (id) packet.id = Number(id);
    if (json) {
      let data: unknown;
      try {
        data = JSON.parse(json);
      } catch {
        throw new Error('invalid payload');
      }
      if (!isValidPayload(packet.type, data)) throw new Error('invalid payload');
      packet.data = data;
    }
    this.listener?.(packet);
  }

  destroy(): void {
    // nothing is buffered between packets: there are no binary attachments to wait for
  }
}
