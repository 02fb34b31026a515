import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { type AgentClientEvents, ErrorCode, Limits, type VisitorClientEvents } from '../../protocol/src/index';
import type { Config } from '../../server/src/config/schema';
import type { Logger } from '../../server/src/logger';
import { defaultGlobalLimits, defaultSiteLimits } from '../../server/src/services/limits/limits-config';
import { chatOnlyConfig } from './server';

/**
 * Arbitraries and checks for the property-based fuzz test (test/integration/fuzz.test.ts): awkward
 * values of every kind, and what counts as a proper answer to them.
 */

/** Every code a refusal may carry: everything but `internal_error`. */
export const TYPED_CODES: ReadonlySet<string> = new Set<string>(Object.values(ErrorCode).filter((c) => c !== ErrorCode.Internal));

/** Placeholders replaced by real ids when sent, so payloads also reach past the existence and ownership checks. */
export const REAL = { conversation: '@conversation', contact: '@contact', agent: '@agent', admin: '@admin', label: '@label' } as const;
export type RealIds = Record<keyof typeof REAL, string>;

/** Keys the schemas read, plus prototype-pollution keys, so generated objects reach into each schema. */
export const KEYS = [
  'conversationId', 'clientId', 'text', 'afterSeq', 'beforeSeq', 'seq', 'limit', 'score', 'comment', 'url', 'title', 'allow', 'typing', 'preview',
  'q', 'view', 'status', 'cursor', 'teamId', 'agentId', 'note', 'id', 'add', 'remove', 'attributes', 'contactId', 'sendAt', 'label', 'value',
  'answers', 'consent', 'pageUrl', 'language', 'email', 'name', 'password', 'role', 'languages', 'capacity', 'teams', 'active', 'color',
  'description', 'confirm', 'reason', 'token', '__proto__', 'constructor', 'prototype',
];

const BIDI = ['\u202E', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u200F', '\u061C'];

/** Strings a person would never type: lone surrogates, bidi controls, NUL, markup, paths, templates. */
export const oddString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\uD800', '\uDFFF', '\uD83D', '\u0000', '\uFEFF', '\u200B', ...BIDI, 'a', 'é', '😀'), maxLength: 30 }),
  fc.constantFrom('\uD800', '\uDC00x\uD800', '\u202Egnp.exe', '<script>xss()</script>', '../../etc/passwd', '%00', '%ZZ', '{{constructor}}', '${process}',
    '2026-13-45T99:99:99Z', '2099-01-01T00:00:00Z', '', ' ', 'null', 'undefined', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a'.repeat(65)),
);

/** Strings from 1 KB to about 100 KB (over the 64 KB packet and body limits at the top). */
export const hugeString = fc.tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('x', 'é', '😀', '\u202E', '\uD800', '<b>')).map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));

/** Numbers at the edges: NaN, infinities, -0, the largest double, unsafe integers, fractions. */
export const oddNumber = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, -1, 1, 5, 6, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 53 + 2, 2 ** 31, 3.5),
  fc.integer(),
  fc.double(),
);

/** Arrays nested hundreds deep. */
const deepArray = fc.integer({ min: 10, max: 400 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
});

/** Objects whose own keys are `__proto__` / `constructor`, as JSON.parse makes them on the server. */
export const pollution = fc.constantFrom(
  JSON.parse('{"__proto__":{"polluted":"yes","isAdmin":true}}') as unknown,
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}') as unknown,
  JSON.parse('{"__proto__":{"__proto__":{"polluted":"yes"}},"conversationId":"@conversation"}') as unknown,
);

/** One awkward value of any kind. */
export const nasty: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, undefined, true, false, {}, []) },
  { weight: 3, arbitrary: oddNumber },
  { weight: 4, arbitrary: oddString },
  // the real ids, so payloads also get past "not found" and "forbidden"
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...Object.values(REAL)) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.integer(), oddString), { maxLength: 5 }) },
  { weight: 1, arbitrary: deepArray },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: pollution },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }).map((j) => JSON.parse(j) as unknown) },
);

/** A payload: mostly objects with the schemas' keys holding awkward values (missing and extra keys alike), else anything. */
export const payload: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), nasty, { maxKeys: 6 }) },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: pollution },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }) },
);

const later = new Date(Date.now() + 86_400_000).toISOString();
const c = REAL.conversation;

/** A valid payload of every `/visitor` event (ids as placeholders): the starting point of near-valid payloads. */
export const VISITOR_TEMPLATES: Record<keyof VisitorClientEvents, Record<string, unknown>> = {
  'conversation:join': { conversationId: c, afterSeq: 0 },
  'message:send': { conversationId: c, clientId: 'fuzz-client-1', text: 'hello' },
  'conversation:rate': { conversationId: c, score: 5, comment: 'great' },
  typing: { conversationId: c, typing: true, preview: 'hel' },
  'conversation:read': { conversationId: c, seq: 1 },
  'page:view': { conversationId: c, url: 'http://shop.test/cart', title: 'Cart' },
  'followups:set': { allow: true },
  'conversation:transcript': { conversationId: c },
  // destructive when valid (it erases the fuzzing visitor): fuzzed only in its refused forms
  'contact:erase': { confirm: false },
};

/** A valid payload of every `/agent` event (the type makes sure none of AgentClientEvents is left out). */
export const AGENT_TEMPLATES: Record<keyof AgentClientEvents, Record<string, unknown>> = {
  'inbox:list': { view: 'all', status: 'open', limit: 20 },
  'inbox:counts': {},
  'inbox:search': { q: 'ana', limit: 20 },
  'conversation:latest': { conversationId: c, limit: 50 },
  'conversation:history': { conversationId: c, beforeSeq: 2, limit: 10 },
  'note:add': { conversationId: c, clientId: 'fuzz-note-1', text: 'a note' },
  'labels:list': {},
  'conversation:labels': { id: c, add: ['vip'], remove: [] },
  'contact:labels': { id: REAL.contact, add: ['vip'], remove: [] },
  'contact:attributes': { contactId: REAL.contact, attributes: { plan: 'gold' } },
  typing: { conversationId: c, typing: true },
  'conversation:read': { conversationId: c, seq: 1 },
  'conversation:open': { conversationId: c, afterSeq: 0 },
  'message:send': { conversationId: c, clientId: 'fuzz-reply-1', text: 'hi there' },
  'conversation:close': { conversationId: c },
  'conversation:reopen': { conversationId: c },
  'conversation:claim': { conversationId: c },
  'conversation:assign': { conversationId: c, agentId: REAL.agent },
  'conversation:transfer': { conversationId: c, teamId: 'billing', note: 'over to you' },
  'presence:set': { status: 'online' },
  'agents:list': {},
  'followup:timing': { conversationId: c },
  'followup:schedule': { conversationId: c, clientId: 'fuzz-later-1', text: 'checking in', sendAt: later },
  'followup:list': { conversationId: c },
  'followup:edit': { id: 'fuzz-missing', text: 'edited' },
  'followup:cancel': { id: 'fuzz-missing' },
};

/** A valid payload with one to three keys dropped, replaced by awkward values or added. */
export function nearValid(template: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = [...Object.keys(template), ...KEYS];
  const edit = fc.tuple(fc.constantFrom(...keys), fc.option(nasty, { freq: 4 }));
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const out: Record<string, unknown> = { ...template };
    for (const [key, value] of edits) {
      if (value === null) delete out[key];
      else Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

/** Values of every type but a string; `certainly` wrong where the schema wants a string. */
export const notAString = fc.oneof(
  fc.integer(),
  fc.constantFrom<unknown>(null, true, false, NaN, Infinity, [], {}),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 2 }),
);

/** Values of every type but a boolean. */
export const notABoolean = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constantFrom<unknown>(null, 'true', 1, 0, [], {}));

/** Replaces the placeholders of `REAL` with the real ids, one level deep (arrays and objects). */
export function withRealIds(data: unknown, ids: RealIds): unknown {
  const swap = (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const key = (Object.keys(REAL) as (keyof typeof REAL)[]).find((k) => REAL[k] === v);
    return key ? ids[key] : v;
  };
  if (Array.isArray(data)) return data.map(swap);
  if (data && typeof data === 'object' && !ArrayBuffer.isView(data)) {
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(data) === null ? null : Object.prototype);
    for (const [k, v] of Object.entries(data)) Object.defineProperty(out, k, { value: swap(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return swap(data);
}

/** Bytes of one Socket.IO packet carrying `args` (binary counted by its length), to tell oversize packets. */
export function packetBytes(event: string, args: unknown[]): number {
  let binary = 0;
  let json: string | undefined;
  try {
    json = JSON.stringify([event, ...args], (_k, v: unknown) => {
      if (ArrayBuffer.isView(v)) {
        binary = Math.max(binary, v.byteLength);
        return { _placeholder: true, num: 0 };
      }
      return v;
    });
  } catch {
    return 0;
  }
  return Math.max(Buffer.byteLength(json ?? ''), binary);
}

/** A packet near the limit may or may not pass (framing adds a few bytes): only those are allowed to cost the connection. */
export const oversize = (bytes: number): boolean => bytes > Limits.socketPacketBytes - 256;

/** Whether a socket ack is `{ ok: true, data }` or a typed refusal; the reason otherwise. */
export function ackProblem(ack: unknown): string | null {
  if (!ack || typeof ack !== 'object') return `not an object: ${String(ack)}`;
  const a = ack as { ok?: unknown; code?: unknown; message?: unknown; data?: unknown };
  if (a.ok === true) return 'data' in a ? null : 'ok without data';
  if (a.ok !== false) return `no ok flag: ${JSON.stringify(a).slice(0, 200)}`;
  if (!TYPED_CODES.has(String(a.code))) return `code ${String(a.code)}`;
  return typeof a.message === 'string' && a.message.length > 0 ? null : 'no message';
}

/** A short, printable form of a payload for failure messages. */
export function show(data: unknown): string {
  try {
    return (JSON.stringify(data, (_k, v: unknown) => (ArrayBuffer.isView(v) ? `<${v.byteLength} bytes>` : v)) ?? String(data)).slice(0, 300);
  } catch {
    return String(data).slice(0, 300);
  }
}

/** The demo chat config with every abuse limit raised out of reach: the limiter still runs, fuzzing does not exhaust it. */
export function fuzzConfig(): Config {
  const config = chatOnlyConfig();
  const raise = (value: unknown): unknown => {
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /^per[A-Z]/.test(k) ? 1_000_000_000 : raise(v)]));
  };
  for (const site of Object.values(config.sites)) site.limits = raise(defaultSiteLimits) as typeof site.limits;
  config.limits = raise(defaultGlobalLimits) as typeof config.limits;
  return config;
}

/** A logger that keeps what the server logs at error level, so a swallowed failure (typing has no ack) still fails the test. */
export function errorCollector(): { log: Logger; errors: string[] } {
  const errors: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      errors.push(chunk.toString().slice(0, 2_000));
      done();
    },
  });
  return { log: pino({ level: 'error', base: undefined }, stream), errors };
}
