import { describe, expect, it } from 'vitest';
import { nearEnd, rowWindow, scrollToRow } from '../../console/src/components/inbox/windowing';

describe('row window', () => {
  it('renders only the rows on screen plus the overscan', () => {
    const w = rowWindow({ count: 50_000, rowHeight: 84, viewportHeight: 840, scrollTop: 84 * 1000, overscan: 5 });
    expect(w).toEqual({ start: 995, end: 1015, offsetTop: 995 * 84, totalHeight: 50_000 * 84 });
    expect(w.end - w.start).toBeLessThan(30);
  });

  it('starts at the top without negative rows and ends at the last row', () => {
    expect(rowWindow({ count: 100, rowHeight: 10, viewportHeight: 50, scrollTop: 0, overscan: 3 })).toMatchObject({ start: 0, end: 8 });
    expect(rowWindow({ count: 100, rowHeight: 10, viewportHeight: 50, scrollTop: 950, overscan: 3 })).toMatchObject({ start: 92, end: 100 });
  });

  it('shows the last rows when the list shrank under a scroll position past its end', () => {
    const w = rowWindow({ count: 10, rowHeight: 10, viewportHeight: 50, scrollTop: 99_999, overscan: 0 });
    expect(w).toMatchObject({ start: 5, end: 10 });
  });

  it('counts a partly visible row as on screen', () => {
    expect(rowWindow({ count: 100, rowHeight: 10, viewportHeight: 25, scrollTop: 5, overscan: 0 })).toMatchObject({ start: 0, end: 3 });
  });

  it('renders nothing for an empty list and survives nonsense input', () => {
    expect(rowWindow({ count: 0, rowHeight: 84, viewportHeight: 500, scrollTop: 0 })).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    expect(rowWindow({ count: -3, rowHeight: 84, viewportHeight: 500, scrollTop: 0 }).end).toBe(0);
    const w = rowWindow({ count: 10, rowHeight: 10, viewportHeight: -5, scrollTop: -100, overscan: -2 });
    expect(w.start).toBe(0);
    expect(w.end).toBe(1);
  });
});

describe('scrolling a row into view', () => {
  it('scrolls up to a row above the viewport and down to one below it, and not at all for a visible one', () => {
    expect(scrollToRow(2, 10, 50, 100)).toBe(20);
    expect(scrollToRow(20, 10, 50, 100)).toBe(160);
    expect(scrollToRow(12, 10, 50, 100)).toBeNull();
  });

  it('asks for the next page only near the end', () => {
    expect(nearEnd(1000, 200, 700, 120)).toBe(true);
    expect(nearEnd(1000, 200, 500, 120)).toBe(false);
  });
});
