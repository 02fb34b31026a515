import * as engine from 'engine.io-parser';
import { parse as originalParseUri } from 'engine.io-client';
import { jsx as preactJsx } from 'preact/jsx-runtime';
import * as socketIo from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import * as leanEngine from '../../widget/src/lean/engine-parser';
import { jsx as leanJsx } from '../../widget/src/lean/jsx-runtime';
import { parse as leanParseUri } from '../../widget/src/lean/parse-uri';
import * as leanSocket from '../../widget/src/lean/socket-parser';

/**
 * The widget build swaps these library modules for the smaller ones in widget/src/lean/
 * (rollup.config.mjs): each must speak the same wire format, or give the same answer, as the
 * module it replaces.
 */

type Packet = leanSocket.Packet;

const decodeWith = (decoder: { on(ev: 'decoded', fn: (p: Packet) => void): unknown; add(s: unknown): void }, input: unknown): Packet[] => {
  const out: Packet[] = [];
  decoder.on('decoded', (p) => out.push(p));
  decoder.add(input);
  return out;
};

const packets: [string, Packet][] = [
  ['a connect with the visitor token', { type: 0, nsp: '/visitor', data: { token: 'tok_abc' } }],
  ['a connect to the main namespace', { type: 0, nsp: '/', data: { sid: 'x' } }],
  ['an event with an ack id', { type: 2, nsp: '/visitor', id: 12, data: ['message:send', { conversationId: 'c1', clientId: 'cl-1', text: 'hi' }] }],
  ['an event without ack', { type: 2, nsp: '/visitor', data: ['message:new', { seq: 3, text: '12, /x, [y]' }] }],
  ['an event named by a number', { type: 2, nsp: '/', data: [7, 'x'] }],
  ['an ack', { type: 3, nsp: '/visitor', id: 0, data: [{ ok: true, data: { messages: [] } }] }],
  ['a refused connect', { type: 4, nsp: '/visitor', data: { message: 'unauthorized', data: { code: 'unauthorized' } } }],
  ['a refused connect as text', { type: 4, nsp: '/', data: 'Invalid namespace' }],
  ['a disconnect', { type: 1, nsp: '/visitor' }],
  ['unicode, HTML and a big payload', { type: 2, nsp: '/visitor', id: 99999, data: ['m', { text: '¡Hola! 你好 👋 <b>"x"</b>\n'.repeat(400) }] }],
];

describe('the JSON-only Socket.IO codec (lean/socket-parser.ts)', () => {
  it.each(packets)('encodes %s exactly as socket.io-parser does, and decodes it back', (_name, packet) => {
    const ours = new leanSocket.Encoder().encode(packet);
    expect(ours).toEqual(new socketIo.Encoder().encode(packet as socketIo.Packet));
    expect(decodeWith(new socketIo.Decoder(), ours[0])).toEqual([packet]);
    expect(decodeWith(new leanSocket.Decoder(), ours[0])).toEqual([packet]);
  });

  it('uses the same packet type numbers and protocol revision', () => {
    expect(leanSocket.protocol).toBe(socketIo.protocol);
    for (const [name, value] of Object.entries(leanSocket.PacketType)) expect(socketIo.PacketType[name as keyof typeof socketIo.PacketType]).toBe(value);
  });

  it.each([
    ['a binary event', '51-/visitor,["upload",{"_placeholder":true,"num":0}]'],
    ['an unknown type', '9/visitor,["x"]'],
    ['broken JSON', '2/visitor,["x"'],
    ['an event that is not an array', '2/visitor,{"a":1}'],
    ['a reserved event name', '2/visitor,["connect"]'],
    ['an ack that is not an array', '3/visitor,1{"a":1}'],
    ['a connect whose payload is not an object', '0/visitor,[1]'],
    ['a disconnect with a payload', '1/visitor,{"a":1}'],
    ['an empty string', ''],
  ])('refuses %s, as a parse error that drops the connection', (_name, input) => {
    expect(() => decodeWith(new leanSocket.Decoder(), input)).toThrow();
  });

  it('refuses binary data instead of waiting for attachments', () => {
    expect(() => decodeWith(new leanSocket.Decoder(), new Uint8Array([1, 2, 3]).buffer)).toThrow('unsupported packet');
  });

  it('stops handing packets over once the manager removed its listener', () => {
    const decoder = new leanSocket.Decoder();
    const seen: Packet[] = [];
    decoder.on('decoded', (p) => seen.push(p));
    decoder.off();
    decoder.add('2/visitor,["x"]');
    decoder.destroy();
    expect(seen).toEqual([]);
  });
});

describe('the text-only Engine.IO codec (lean/engine-parser.ts)', () => {
  const enginePackets: engine.Packet[] = [
    { type: 'open', data: '{"sid":"abc","upgrades":["websocket"],"pingInterval":25000}' },
    { type: 'ping' },
    { type: 'pong', data: 'probe' },
    { type: 'message', data: '2/visitor,["message:new",{"text":"hi \\u001e there 👋"}]' },
    { type: 'upgrade' },
    { type: 'noop' },
    { type: 'close' },
  ];

  it.each(enginePackets.map((p) => [p.type, p] as const))('encodes a %s packet as engine.io-parser does, and decodes it back', (_type, packet) => {
    let original = '';
    let ours = '';
    engine.encodePacket(packet, false, (s) => (original = String(s)));
    leanEngine.encodePacket(packet, false, (s) => (ours = s));
    expect(ours).toBe(original);
    expect(leanEngine.decodePacket(ours)).toEqual(engine.decodePacket(ours));
  });

  it('encodes and decodes a long-polling payload as engine.io-parser does', () => {
    let original = '';
    let ours = '';
    engine.encodePayload(enginePackets, (s) => (original = s));
    leanEngine.encodePayload(enginePackets, (s) => (ours = s));
    expect(ours).toBe(original);
    expect(leanEngine.decodePayload(ours)).toEqual(engine.decodePayload(ours));
    expect(leanEngine.protocol).toBe(engine.protocol);
  });

  it.each([
    ['an unknown type', '9hello'],
    ['an empty frame', ''],
    ['a base64 binary frame', 'bAQID'],
    ['a binary frame', new Uint8Array([4, 1]).buffer],
  ])('decodes %s as the error packet', (_name, input) => {
    expect(leanEngine.decodePacket(input)).toEqual({ type: 'error', data: 'parser error' });
  });

  it('stops a payload at its first bad packet, as engine.io-parser does', () => {
    const payload = ['4a', '9bad', '4never'].join('\x1e');
    expect(leanEngine.decodePayload(payload)).toEqual(engine.decodePayload(payload));
    expect(leanEngine.decodePayload(payload)).toHaveLength(2);
  });
});

describe('the URL-based URI parser (lean/parse-uri.ts)', () => {
  const defaultPort = (protocol: string) => (/s$/.test(protocol) ? '443' : '80');

  it.each([
    'http://127.0.0.1:3241/visitor',
    'https://chat.example.com/visitor',
    'http://localhost:3000',
    'https://chat.example.com:8443/socket.io/?EIO=4&transport=polling',
    'http://[::1]:3000/visitor',
    'wss://example.com/x/y/',
    'http://example.com:80/visitor',
  ])('reads %s as engine.io-client does', (uri) => {
    const original = originalParseUri(uri);
    const ours = leanParseUri(uri);
    expect(ours).toMatchObject({ source: original.source, protocol: original.protocol, host: original.host, query: original.query });
    expect(ours.path || '/').toBe(original.path || '/');
    // both callers fill in the scheme's default port when none is given
    expect(ours.port || defaultPort(ours.protocol)).toBe(original.port || defaultPort(original.protocol));
    expect(ours.queryKey).toEqual(original.queryKey);
  });

  it('reads a bare host and port, as engine.io-client passes its `host` option', () => {
    expect(leanParseUri('chat.example.com:8080')).toMatchObject({ host: 'chat.example.com', port: '8080' });
  });
});

describe('the JSX runtime on createElement (lean/jsx-runtime.ts)', () => {
  const strip = (vnode: ReturnType<typeof leanJsx>) => ({ type: vnode.type, props: vnode.props, key: vnode.key, ref: vnode.ref });

  it.each([
    ['an element with children', 'div', { class: 'msg', children: ['a', 'b'] }, undefined],
    ['a keyed element', 'li', { children: 'x' }, 'k1'],
    ['an element with a ref', 'div', { ref: { current: null }, id: 'p' }, 'r'],
    ['an element without props', 'br', {}, undefined],
  ])('builds %s as preact/jsx-runtime does', (_name, type, props, key) => {
    const ours = strip(leanJsx(type, { ...props }, key));
    const original = strip(preactJsx(type, { ...props }, key) as ReturnType<typeof leanJsx>);
    expect(ours).toEqual(original);
  });
});
