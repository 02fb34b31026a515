/**
 * engine.io-client's small helpers (`util.js`, `globals.js` and `contrib/parseqs.js`) in one
 * module, written for the browsers the widget supports; the widget build puts it in place of all
 * three (see rollup.config.mjs) and test/unit/widget-lean-engine.test.ts checks it against them.
 */

/** A microtask: the Promise branch of the original, the one every supported browser takes. */
export const nextTick = (fn: () => void): unknown => Promise.resolve().then(fn);

export const globalThisShim = globalThis;

export const defaultBinaryType = 'arraybuffer';

/** Cookies matter to the Node.js client only. */
export function createCookieJar(): void {}

/** The keys of `obj` among `keys` that it has itself. */
export const pick = (obj: Record<string, unknown>, ...keys: string[]): Record<string, unknown> =>
  Object.fromEntries(keys.filter((key) => Object.hasOwn(obj, key)).map((key) => [key, obj[key]]));

/** Binds the timer functions the transport calls (the page's own, as the original does without `useNativeTimers`). */
export function installTimerFunctions(obj: { setTimeoutFn?: typeof setTimeout; clearTimeoutFn?: typeof clearTimeout }): void {
  obj.setTimeoutFn = setTimeout.bind(globalThis);
  obj.clearTimeoutFn = clearTimeout.bind(globalThis);
}

/**
 * UTF-8 length of a string packet, binary (which the widget never sends) as its base64 size. A lone
 * surrogate counts 3, the bytes of the U+FFFD it is sent as, where the original counted 4.
 */
export const byteLength = (obj: string | { byteLength?: number; size?: number }): number =>
  typeof obj === 'string' ? new TextEncoder().encode(obj).length : Math.ceil((obj.byteLength || obj.size!) * 1.33);

/** A cache-busting token for polling URLs. */
export const randomString = (): string => Date.now().toString(36).substring(3) + Math.random().toString(36).substring(2, 5);

/** A query string from the object's own keys, in their order. */
export const encode = (obj: Record<string, unknown>): string =>
  Object.keys(obj)
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(obj[key]))}`)
    .join('&');

/** An object from a query string; a later key wins. */
export const decode = (qs: string): Record<string, string> =>
  Object.fromEntries(
    qs.split('&').map((pair) => {
      const [key, ...value] = pair.split('=');
      return [decodeURIComponent(key!), decodeURIComponent(value.join('='))];
    }),
  );
