import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { nearEnd, rowWindow, scrollToRow } from './windowing';

interface Props<T> {
  items: readonly T[];
  /** Every row is this tall, in pixels (the CSS must agree). */
  rowHeight: number;
  /** The list's accessible name. */
  label: string;
  getKey(item: T): string;
  renderRow(item: T, index: number): JSX.Element;
  /** The row to keep in view (the selected one); scrolled to when it changes. */
  activeIndex?: number;
  /** Called when the viewport comes near the end (load the next page). */
  onNearEnd?(): void;
  overscan?: number;
  class?: string;
}

/**
 * A list that renders only the rows on screen (plus `overscan` rows around
 * them), so tens of thousands of rows scroll smoothly. Rows keep their
 * position in the set for assistive tools (aria-posinset / aria-setsize), and
 * the row holding keyboard focus stays rendered while it scrolls out of view,
 * so focus is never lost to an unmounted element.
 */
export function VirtualList<T>(props: Props<T>): JSX.Element {
  const { items, rowHeight } = props;
  const ref = useRef<HTMLUListElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const focusedKey = useRef<string | null>(null);
  const [, rerender] = useState(0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setViewport(el.clientHeight || 800);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight || 800));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el || props.activeIndex === undefined || props.activeIndex < 0) return;
    const to = scrollToRow(props.activeIndex, rowHeight, el.clientHeight, el.scrollTop);
    if (to !== null) el.scrollTop = to;
  }, [props.activeIndex, rowHeight]);

  const win = rowWindow({ count: items.length, rowHeight, viewportHeight: viewport, scrollTop, overscan: props.overscan });

  useEffect(() => {
    if (props.onNearEnd && items.length > 0 && nearEnd(win.totalHeight, viewport, scrollTop, rowHeight * 10)) props.onNearEnd();
  }, [items.length, scrollTop, viewport]);

  const indexes: number[] = [];
  for (let i = win.start; i < win.end; i++) indexes.push(i);
  const focusedIndex = focusedKey.current === null ? -1 : items.findIndex((item) => props.getKey(item) === focusedKey.current);
  if (focusedIndex >= 0 && (focusedIndex < win.start || focusedIndex >= win.end)) indexes.push(focusedIndex);

  function onKeyDown(e: KeyboardEvent): void {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const el = ref.current;
    // read the focused row now: several presses may come before the next render
    const at = focusedKey.current === null ? -1 : items.findIndex((item) => props.getKey(item) === focusedKey.current);
    const current = at >= 0 ? at : 0;
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : current + (e.key === 'ArrowDown' ? 1 : -1);
    if (!el || next < 0 || next >= items.length) return;
    e.preventDefault();
    focusedKey.current = props.getKey(items[next]!);
    const to = scrollToRow(next, rowHeight, el.clientHeight, el.scrollTop);
    if (to !== null) el.scrollTop = to;
    setScrollTop(el.scrollTop);
    rerender((n) => n + 1);
    // the row renders on the next frame when it was off screen
    requestAnimationFrame(() => (el.querySelector(`li[data-index="${next}"] button, li[data-index="${next}"] [tabindex]`) as HTMLElement | null)?.focus());
  }

  return (
    <ul
      ref={ref}
      class={`virtual-list ${props.class ?? ''}`}
      aria-label={props.label}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      onFocusIn={(e) => {
        const li = (e.target as HTMLElement).closest('li[data-key]');
        focusedKey.current = li?.getAttribute('data-key') ?? null;
      }}
    >
      {indexes.map((i) => {
        const item = items[i]!;
        const key = props.getKey(item);
        return (
          <li key={key} data-key={key} data-index={i} aria-posinset={i + 1} aria-setsize={items.length} class="virtual-row" style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }}>
            {props.renderRow(item, i)}
          </li>
        );
      })}
      {win.totalHeight > 0 && <li aria-hidden="true" class="virtual-sizer" style={{ top: `${win.totalHeight - 1}px` }} />}
    </ul>
  );
}
