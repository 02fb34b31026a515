/**
 * A text-only Engine.IO packet codec, wire-compatible with engine.io-parser v5
 * (protocol 4) for every packet that is not binary. The widget build puts it in
 * place of engine.io-parser (see rollup.config.mjs), next to the JSON-only
 * Socket.IO codec in socket-parser.ts: nothing the widget sends or receives is
 * binary, so base64, Blob and ArrayBuffer handling would be dead weight. A
 * binary frame decodes as an error packet, which closes the connection.
 */

/** The Engine.IO protocol revision this codec speaks. */
export const protocol = 4;

/** A packet as engine.io-client builds and reads it. */
export interface EnginePacket {
  type: string;
  data?: unknown;
  options?: unknown;
}

/** Packet types in wire order: a packet's type is its digit's index. */
const TYPES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];

/** Packets in a long-polling payload are separated by the record separator. */
const SEPARATOR = '\x1e';

const ERROR_PACKET: EnginePacket = { type: 'error', data: 'parser error' };

/** A packet on the wire: its type's digit, then its text. */
const encode = (packet: EnginePacket): string => TYPES.indexOf(packet.type) + ((packet.data as string | undefined) || '');

/** Encodes one packet (the WebSocket transport's way). */
export function encodePacket(packet: EnginePacket, _supportsBinary: boolean, callback: (encoded: string) => void): void {
  callback(encode(packet));
}

/** Decodes one packet; anything that is not a known text packet is the error packet. */
export function decodePacket(encoded: unknown): EnginePacket {
  const type = typeof encoded === 'string' ? TYPES[encoded.charCodeAt(0) - 48] : undefined;
  if (!type) return ERROR_PACKET;
  const text = encoded as string;
  return text.length > 1 ? { type, data: text.slice(1) } : { type };
}

/** Encodes packets as one long-polling payload. */
export function encodePayload(packets: EnginePacket[], callback: (payload: string) => void): void {
  callback(packets.map(encode).join(SEPARATOR));
}

/** Decodes a long-polling payload, stopping at the first bad packet as engine.io-parser does. */
export function decodePayload(payload: string): EnginePacket[] {
  const packets: EnginePacket[] = [];
  for (const encoded of payload.split(SEPARATOR)) {
    const packet = decodePacket(encoded);
    packets.push(packet);
    if (packet.type === 'error') break;
  }
  return packets;
}
