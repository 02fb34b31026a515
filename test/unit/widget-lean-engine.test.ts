import { Emitter as OriginalEmitter } from '@socket.io/component-emitter';
import { describe, expect, it } from 'vitest';
// the originals, by path: engine.io-client exports only its index
import * as originalGlobals from '../../node_modules/engine.io-client/build/esm/globals.js';
import * as originalQs from '../../node_modules/engine.io-client/build/esm/contrib/parseqs.js';
import * as originalUtil from '../../node_modules/engine.io-client/build/esm/util.js';
import { Emitter as LeanEmitter } from '../../widget/src/lean/emitter';
import * as lean from '../../widget/src/lean/engine-util';

/**
 * The widget build swaps @socket.io/component-emitter for lean/emitter.ts and engine.io-client's
 * util.js, globals.js and contrib/parseqs.js for lean/engine-util.ts (rollup.config.mjs): each must
 * do what the code it replaces does, for every call socket.io-client and engine.io-client make.
 */

type Emitterish = {
  on(e: string, fn: (...a: unknown[]) => void): unknown;
  once(e: string, fn: (...a: unknown[]) => void): unknown;
  off(e?: string, fn?: (...a: unknown[]) => void): unknown;
  removeListener(e?: string, fn?: (...a: unknown[]) => void): unknown;
  removeAllListeners(e?: string): unknown;
  emit(e: string, ...a: unknown[]): unknown;
  emitReserved(e: string, ...a: unknown[]): unknown;
};

/** A script of calls, the log of what the listeners saw. */
function play(make: () => Emitterish): string[] {
  const log: string[] = [];
  const em = make();
  const a = (...args: unknown[]) => log.push(`a:${JSON.stringify(args)}`);
  const b = function (this: unknown, ...args: unknown[]) {
    log.push(`b:${args.length}:${this === em}`);
  };
  const c = () => log.push('c');
  expect(em.on('x', a)).toBe(em);
  em.on('x', b);
  em.once('x', c);
  em.emit('x', 1, '2', { three: 3 });
  em.emit('x');
  em.once('y', c);
  em.off('y', c); // a once listener goes by the function it was given
  em.emitReserved('y', 'nobody');
  em.removeListener('x', a);
  em.emit('x', 'after removeListener');
  em.on('x', a);
  em.on('x', a);
  em.off('x', a); // removes one of the two
  em.emit('x', 'one a left');
  em.removeAllListeners('x');
  em.emit('x', 'none left');
  // a listener added while emitting waits for the next emit; one removed meanwhile still runs this time
  em.on('z', () => {
    log.push('z1');
    em.on('z', () => log.push('z-late'));
    em.off('z', c);
  });
  em.on('z', c);
  em.emit('z');
  em.emit('z');
  em.on('w', a);
  em.off();
  em.emit('w', 'cleared');
  em.emit('z');
  return log;
}

describe('the emitter (lean/emitter.ts)', () => {
  it('calls, adds and removes listeners exactly as @socket.io/component-emitter does', () => {
    const theirs = play(() => new OriginalEmitter() as unknown as Emitterish);
    const ours = play(() => new LeanEmitter() as unknown as Emitterish);
    expect(ours).toEqual(theirs);
    expect(ours).toContain('a:[1,"2",{"three":3}]');
  });

  it('works as the base class the socket libraries extend', () => {
    class Child extends LeanEmitter {
      fire() {
        return this.emitReserved('ready', 42);
      }
    }
    const child = new Child();
    const seen: unknown[] = [];
    child.on('ready', (n) => seen.push(n));
    child.fire();
    expect(seen).toEqual([42]);
    expect(new Child()._callbacks).toEqual({});
  });
});

describe("engine.io-client's helpers (lean/engine-util.ts)", () => {
  it.each([
    ['ascii', 'hello'],
    ['empty', ''],
    ['accents, CJK, Arabic and an emoji', 'é 你好 مرحبا 👋🏽'],
    ['a big packet', '4["message:send",{"text":"¡Hola! 你好 👋"}]'.repeat(5000)],
  ])('counts the UTF-8 length of %s as the original does', (_name, text) => {
    expect(lean.byteLength(text)).toBe(originalUtil.byteLength(text));
    expect(lean.byteLength(text)).toBe(Buffer.byteLength(text));
  });

  it('counts a lone surrogate as the 3 bytes it is sent as (the original says 4)', () => {
    expect(lean.byteLength('a\ud800')).toBe(Buffer.byteLength('a\ud800'));
    expect(lean.byteLength('a\ud800')).toBeLessThanOrEqual(originalUtil.byteLength('a\ud800'));
  });

  it('sizes binary as its base64 length', () => {
    const bytes = new Uint8Array(300);
    expect(lean.byteLength(bytes)).toBe(originalUtil.byteLength(bytes));
  });

  it.each([
    [{ EIO: 4, transport: 'polling', t: 'Pabc12', sid: 'x-Y_z' }],
    [{ 'a b': 'c&d=e', 'ü': '👋', empty: '', undef: undefined }],
    [{}],
  ])('encodes the query %j as the original does', (query) => {
    expect(lean.encode(query)).toBe(originalQs.encode(query));
  });

  it.each(['EIO=4&transport=websocket', 'a=1&a=2&b=x%3Dy=z', 'k', '', 'sp%20ace=%F0%9F%91%8B'])('decodes %j as the original does', (qs) => {
    expect(lean.decode(qs)).toEqual(originalQs.decode(qs));
  });

  it('picks only the keys an object has itself', () => {
    const obj = Object.assign(Object.create({ inherited: 1 }), { a: 1, b: undefined, c: 3 });
    expect(lean.pick(obj, 'a', 'b', 'inherited', 'missing')).toEqual(originalUtil.pick(obj, 'a', 'b', 'inherited', 'missing'));
  });

  it('installs working timer functions', async () => {
    const ours: { setTimeoutFn?: typeof setTimeout; clearTimeoutFn?: typeof clearTimeout } = {};
    lean.installTimerFunctions(ours);
    const fired = await new Promise<boolean>((resolve) => ours.setTimeoutFn!(() => resolve(true), 1));
    expect(fired).toBe(true);
    let late = false;
    ours.clearTimeoutFn!(ours.setTimeoutFn!(() => (late = true), 1));
    await new Promise((r) => setTimeout(r, 20));
    expect(late).toBe(false);
  });

  it('makes distinct cache-busting strings of the same shape', () => {
    const made = new Set(Array.from({ length: 50 }, () => lean.randomString()));
    expect(made.size).toBeGreaterThan(45);
    for (const s of made) expect(s).toMatch(/^[0-9a-z]{6,12}$/);
    expect(originalUtil.randomString()).toMatch(/^[0-9a-z]{6,12}$/);
  });

  it('has the globals the library reads, with the same values', async () => {
    expect(lean.defaultBinaryType).toBe(originalGlobals.defaultBinaryType);
    expect(lean.globalThisShim).toBe(globalThis);
    expect(lean.createCookieJar()).toBe(originalGlobals.createCookieJar());
    const order: string[] = [];
    lean.nextTick(() => order.push('tick'));
    order.push('sync');
    await Promise.resolve();
    expect(order).toEqual(['sync', 'tick']);
  });
});
