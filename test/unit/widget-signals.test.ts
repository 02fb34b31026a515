import * as original from '@preact/signals-core';
import { describe, expect, it } from 'vitest';
import * as lean from '../../widget/src/lean/signals';

/**
 * The widget build swaps @preact/signals-core for widget/src/lean/signals.ts (rollup.config.mjs):
 * for what the widget does with signals, both must run the same effects with the same values.
 */

type Lib = Pick<typeof original, 'signal' | 'computed' | 'effect' | 'batch'>;
const libs: [string, Lib][] = [
  ['@preact/signals-core', original],
  ['lean/signals', lean as unknown as Lib],
];

describe.each(libs)('signals (%s)', (_name, { signal, computed, effect, batch }) => {
  it('runs an effect at once and again after each change of a signal it read, not after an equal write', () => {
    const count = signal(1);
    const seen: number[] = [];
    effect(() => void seen.push(count.value));
    count.value = 2;
    count.value = 2;
    count.value = 3;
    expect(seen).toEqual([1, 2, 3]);
  });

  it('runs the effects of writes inside batch once, at its end, with the last values', () => {
    const a = signal('a');
    const b = signal(1);
    const seen: string[] = [];
    effect(() => void seen.push(`${a.value}${b.value}`));
    const result = batch(() => {
      a.value = 'x';
      b.value = 2;
      batch(() => (b.value = 3));
      expect(seen).toEqual(['a1']);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toEqual(['a1', 'x3']);
  });

  it('shows an effect a computed value that is never stale, also in a diamond', () => {
    const first = signal('Ana');
    const last = signal('Silva');
    const full = computed(() => `${first.value} ${last.value}`);
    const initials = computed(() => `${first.value[0]}${last.value[0]}`);
    const seen: string[] = [];
    effect(() => void seen.push(`${full.value}/${initials.value}/${first.value}`));
    batch(() => {
      first.value = 'Lucía';
      last.value = 'Gómez';
    });
    first.value = 'Bea';
    expect(seen).toEqual(['Ana Silva/AS/Ana', 'Lucía Gómez/LG/Lucía', 'Bea Gómez/BG/Bea']);
  });

  it('follows the signals an effect read on its last run only', () => {
    const useA = signal(true);
    const a = signal(1);
    const b = signal(10);
    const seen: number[] = [];
    effect(() => void seen.push(useA.value ? a.value : b.value));
    useA.value = false;
    a.value = 2; // no longer read: no run
    b.value = 11;
    expect(seen).toEqual([1, 10, 11]);
  });

  it('queues writes made by an effect behind it, and runs the effects they touch', () => {
    const source = signal(1);
    const doubled = signal(0);
    const seen: string[] = [];
    effect(() => {
      doubled.value = source.value * 2;
      seen.push(`write ${doubled.value}`);
    });
    effect(() => void seen.push(`read ${doubled.value}`));
    source.value = 5;
    expect(seen).toEqual(['write 2', 'read 2', 'write 10', 'read 10']);
    expect(doubled.value).toBe(10);
  });

  it('throws on an effect that keeps changing what it reads, instead of hanging, and keeps working after', () => {
    const n = signal(0);
    expect(() => effect(() => void (n.value = n.value + 1))).toThrow(/cycle/i);
    const other = signal('a');
    const seen: string[] = [];
    effect(() => void seen.push(other.value));
    other.value = 'b';
    expect(seen).toEqual(['a', 'b']);
  });

  it('passes an error of an effect to the writer and runs the others', () => {
    const s = signal(0);
    const seen: number[] = [];
    effect(() => {
      if (s.value === 1) throw new Error('boom');
    });
    effect(() => void seen.push(s.value));
    expect(() => (s.value = 1)).toThrow('boom');
    expect(seen).toEqual([0, 1]);
    s.value = 2;
    expect(seen).toEqual([0, 1, 2]);
  });

  it('reads outside an effect without subscribing anything', () => {
    const s = signal({ big: 'x'.repeat(100_000) });
    const c = computed(() => s.value.big.length);
    expect(c.value).toBe(100_000);
    s.value = { big: '👋' };
    expect(c.value).toBe(2);
  });
});
