/**
 * @socket.io/component-emitter as a class with the methods socket.io-client and engine.io-client
 * call (on, once, off and its aliases, emit and `emitReserved`), in the same order of calls, without
 * the mixin, `listeners`/`hasListeners` and the arguments-copying of its ES5 original. The widget
 * build puts it in place of the package (see rollup.config.mjs); both libraries extend it.
 */

type Listener = ((...args: unknown[]) => void) & { fn?: Listener };

export class Emitter {
  _callbacks: Record<string, Listener[]> = {};

  on(event: string, fn: Listener): this {
    (this._callbacks[`$${event}`] ??= []).push(fn);
    return this;
  }

  /** Calls `fn` at the next emit only; `off(event, fn)` also removes it before that. */
  once(event: string, fn: Listener): this {
    const on: Listener = (...args) => {
      this.off(event, on);
      fn.apply(this, args);
    };
    on.fn = fn;
    return this.on(event, on);
  }

  /** Without arguments removes every listener, with an event all of its, with both that one. */
  off(event?: string, fn?: Listener): this {
    if (!arguments.length) this._callbacks = {};
    const key = `$${event}`;
    const callbacks = this._callbacks[key];
    if (callbacks) {
      const i = callbacks.findIndex((cb) => cb === fn || cb.fn === fn);
      if (arguments.length < 2) delete this._callbacks[key];
      else if (i >= 0) callbacks.splice(i, 1);
      if (!callbacks.length) delete this._callbacks[key];
    }
    return this;
  }

  /** Calls the listeners with the arguments, each with the emitter as `this`; ones added meanwhile wait for the next emit. */
  emit(event: string, ...args: unknown[]): this {
    for (const fn of this._callbacks[`$${event}`]?.slice() ?? []) fn.apply(this, args);
    return this;
  }
}

export interface Emitter {
  removeListener: Emitter['off'];
  removeAllListeners: Emitter['off'];
  emitReserved: Emitter['emit'];
}

const proto = Emitter.prototype;
proto.removeListener = proto.removeAllListeners = proto.off;
proto.emitReserved = proto.emit;
