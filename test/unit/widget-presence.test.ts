import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAgentPresence, createTypingThrottle } from '../../widget/src/app/models/presence';

describe('the visitor typing throttle', () => {
  let sent: Array<[boolean, string]>;
  let typer: ReturnType<typeof createTypingThrottle>;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    typer = createTypingThrottle({ typing: (t, p) => sent.push([t, p]) });
  });
  afterEach(() => vi.useRealTimers());

  it('sends the first keystroke at once with the text so far', () => {
    typer.input('H');
    expect(sent).toEqual([[true, 'H']]);
  });

  it('sends at most one event per 1.5 s while typing, carrying the latest text', () => {
    for (let i = 1; i <= 30; i++) {
      typer.input('x'.repeat(i));
      vi.advanceTimersByTime(100);
    }
    // 3 s of typing: the first at once, then one per 1.5 s
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.every(([t]) => t)).toBe(true);
    vi.advanceTimersByTime(1500);
    expect(sent.at(-1)).toEqual([true, 'x'.repeat(30)]);
  });

  it('says stopped after 4 s idle, once', () => {
    typer.input('hello');
    vi.advanceTimersByTime(3999);
    expect(sent.at(-1)?.[0]).toBe(true);
    vi.advanceTimersByTime(1);
    expect(sent.at(-1)).toEqual([false, '']);
    vi.advanceTimersByTime(10_000);
    expect(sent.filter(([t]) => !t)).toHaveLength(1);
  });

  it('says stopped at once on send and sends no late trailing event', () => {
    typer.input('a');
    typer.input('ab');
    typer.stop();
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([[true, 'a'], [false, '']]);
  });

  it('treats an emptied box as stopping, and stopping twice sends nothing more', () => {
    typer.input('<script>alert(1)</script> ✓ مرحبا');
    typer.input('   ');
    typer.stop();
    expect(sent).toEqual([[true, '<script>alert(1)</script> ✓ مرحبا'], [false, '']]);
  });
});

describe('the agent presence the visitor sees', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows the typing agent until 6 s without news', () => {
    const p = createAgentPresence();
    p.typing('Alex Morgan', true);
    expect(p.typingName.value).toBe('Alex Morgan');
    vi.advanceTimersByTime(5000);
    p.typing('Alex Morgan', true);
    vi.advanceTimersByTime(5999);
    expect(p.typingName.value).toBe('Alex Morgan');
    vi.advanceTimersByTime(1);
    expect(p.typingName.value).toBeNull();
  });

  it('clears when the agent stops or a message of theirs arrives, not on another agent message', () => {
    const p = createAgentPresence();
    p.typing('Alex', true);
    p.spoke('Sam');
    expect(p.typingName.value).toBe('Alex');
    p.spoke('Alex');
    expect(p.typingName.value).toBeNull();
    p.typing('Alex', true);
    p.typing('Alex', false);
    expect(p.typingName.value).toBeNull();
  });

  it('moves the read mark only forward and ignores a missing one', () => {
    const p = createAgentPresence();
    p.read(5);
    p.read(3);
    p.read(undefined);
    expect(p.agentReadSeq.value).toBe(5);
  });
});
