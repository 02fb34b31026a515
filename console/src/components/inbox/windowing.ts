/** The rows a scrolled viewport shows, plus a margin on both sides. */
export interface RowWindow {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last one to render (exclusive). */
  end: number;
  /** Space above the first rendered row, in pixels. */
  offsetTop: number;
  /** Height of every row together, in pixels. */
  totalHeight: number;
}

/**
 * Which rows of a list of `count` rows of `rowHeight` pixels to render when the
 * viewport of `viewportHeight` pixels is scrolled to `scrollTop`, with
 * `overscan` extra rows above and below so fast scrolling shows no gaps.
 */
export function rowWindow(input: { count: number; rowHeight: number; viewportHeight: number; scrollTop: number; overscan?: number }): RowWindow {
  const { count, rowHeight } = input;
  const overscan = Math.max(0, Math.floor(input.overscan ?? 6));
  const totalHeight = Math.max(0, count) * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight: 0 };
  const viewport = Math.max(0, input.viewportHeight);
  // a scroll position past the end (the list shrank) shows the last rows
  const top = Math.min(Math.max(0, input.scrollTop), Math.max(0, totalHeight - viewport));
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil((top + viewport) / rowHeight) - first;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + Math.max(1, visible) + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** The scroll position that brings row `index` fully into view, or null when it already is. */
export function scrollToRow(index: number, rowHeight: number, viewportHeight: number, scrollTop: number): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return null;
}

/** True when the viewport is within `threshold` pixels of the end: time to load the next page. */
export function nearEnd(totalHeight: number, viewportHeight: number, scrollTop: number, threshold: number): boolean {
  return totalHeight - (scrollTop + viewportHeight) <= threshold;
}
