import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSearchModel } from '../../console/src/models/search';
import { createInboxLoader } from '../../console/src/models/inbox-loader';
import { createInboxModel } from '../../console/src/models/inbox';
import { signInError, sentence } from '../../console/src/models/session';
import { ApiError } from '../../console/src/api';
import { findOptionLabel, siteLabel } from '../../console/src/lib/labels';
import type { Ack, ConversationSummary } from '../../protocol/src/index';

const found = (id: string) => ({ id }) as ConversationSummary;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('search', () => {
  it('waits for typing to pause, then searches once with the trimmed text', async () => {
    const search = vi.fn(async (): Promise<Ack<{ conversations: ConversationSummary[] }>> => ({ ok: true, data: { conversations: [found('a')] } }));
    const model = createSearchModel({ search, debounceMs: 200 });
    model.type('N');
    model.type('NW-');
    model.type('  NW-1042 ');
    expect(model.active.value).toBe(true);
    expect(search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith('NW-1042');
    expect(model.results.value.map((c) => c.id)).toEqual(['a']);
    expect(model.loading.value).toBe(false);
  });

  it('clears back to the inbox and ignores an answer that arrives after clearing', async () => {
    let answer: (a: Ack<{ conversations: ConversationSummary[] }>) => void = () => {};
    const model = createSearchModel({ search: () => new Promise((r) => (answer = r)), debounceMs: 10 });
    model.type('tea');
    await vi.advanceTimersByTimeAsync(10);
    model.clear();
    answer({ ok: true, data: { conversations: [found('late')] } });
    await vi.advanceTimersByTimeAsync(0);
    expect(model.active.value).toBe(false);
    expect(model.text.value).toBe('');
    expect(model.results.value).toEqual([]);
  });

  it('shows the server refusal and a sentence when the socket is down', async () => {
    const refused = createSearchModel({ search: async () => ({ ok: false, code: 'invalid_payload', message: 'a search may have at most 200 characters' }), debounceMs: 0 });
    refused.type('x'.repeat(500));
    await vi.advanceTimersByTimeAsync(0);
    expect(refused.error.value).toBe('a search may have at most 200 characters');
    const down = createSearchModel({ search: async () => Promise.reject(new Error('Not connected')), debounceMs: 0 });
    down.type('tea');
    await vi.advanceTimersByTimeAsync(0);
    expect(down.error.value).toMatch(/not available/);
  });

  it('never sends more than 200 characters', async () => {
    const search = vi.fn(async () => ({ ok: true as const, data: { conversations: [] } }));
    const model = createSearchModel({ search, debounceMs: 0 });
    model.type('é'.repeat(1000));
    await vi.advanceTimersByTimeAsync(0);
    expect((search.mock.calls[0] as unknown as [string])[0]).toHaveLength(200);
  });
});

describe('inbox loader', () => {
  function transport() {
    return {
      listInbox: vi.fn(async (q: { cursor?: string }) => ({ ok: true as const, data: { conversations: [], nextCursor: q.cursor ? null : 'next' } })),
      inboxCounts: vi.fn(async () => ({ ok: true as const, data: { counts: { mine: { open: 1, unread: 1 }, unassigned: { open: 0, unread: 0 }, all: { open: 1, unread: 1 }, teams: {} } } })),
      listLabels: vi.fn(async () => ({ ok: true as const, data: { labels: [{ name: 'paid', color: '#1f883d', description: null }] } })),
      markRead: vi.fn(async (_id: string, seq: number) => ({ ok: true as const, data: { seq } })),
    };
  }

  it('sends one read mark per conversation after the agent settles, with the highest seq', async () => {
    const t = transport();
    const inbox = createInboxModel();
    const loader = createInboxLoader({ transport: t, inbox });
    loader.read('c1', 3);
    loader.read('c1', 5);
    loader.read('c1', 4);
    expect(inbox.readSeq('c1')).toBe(5);
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.markRead).toHaveBeenCalledTimes(1);
    expect(t.markRead).toHaveBeenCalledWith('c1', 5);
  });

  it('does not send a read mark again for what was already sent', async () => {
    const t = transport();
    const loader = createInboxLoader({ transport: t, inbox: createInboxModel() });
    loader.read('c1', 5);
    await vi.advanceTimersByTimeAsync(1000);
    loader.read('c1', 5);
    loader.read('c1', 2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.markRead).toHaveBeenCalledTimes(1);
  });

  it('asks for counts once for a burst of live updates', async () => {
    const t = transport();
    const inbox = createInboxModel();
    const loader = createInboxLoader({ transport: t, inbox });
    for (let i = 0; i < 20; i++) loader.refreshCounts();
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.inboxCounts).toHaveBeenCalledTimes(1);
    expect(inbox.counts.value?.mine.unread).toBe(1);
  });

  it('loads the first page, then the next with its cursor, and stops at the end', async () => {
    const t = transport();
    const inbox = createInboxModel();
    const loader = createInboxLoader({ transport: t, inbox });
    await loader.load();
    expect(inbox.nextCursor.value).toBe('next');
    await loader.loadMore();
    expect(t.listInbox).toHaveBeenLastCalledWith(expect.objectContaining({ cursor: 'next' }));
    expect(inbox.nextCursor.value).toBeNull();
    await loader.loadMore();
    expect(t.listInbox).toHaveBeenCalledTimes(2);
    await loader.loadLabels();
    expect(inbox.labels.value.map((l) => l.name)).toEqual(['paid']);
  });
});

describe('small words', () => {
  it('turns a wrong sign-in into advice, whatever the server said', () => {
    expect(signInError(new ApiError(401, 'wrong email or password', 'unauthorized')).message).toBe('Wrong email or password. Try again.');
    expect(signInError(new ApiError(400, 'expected an email', 'invalid_payload')).message).toBe('Expected an email.');
    expect(sentence('')).toMatch(/went wrong/);
  });

  it('shows a site once by name, without repeating an id the name already carries', () => {
    expect(siteLabel({ id: 'demo', name: 'Northwind Tea (demo)' })).toBe('Northwind Tea (demo)');
    expect(siteLabel({ id: 'after-hours', name: 'Northwind Tea' })).toBe('Northwind Tea (after-hours)');
    expect(siteLabel({ id: 'x', name: 'x' })).toBe('x');
  });

  it('finds the label of an inquiry type among the site’s survey fields', () => {
    const fields = [{ key: 'inquiryType', type: 'select' as const, label: 'Inquiry type', required: true, options: [{ value: 'shipping', label: 'Shipping' }] }];
    expect(findOptionLabel(fields, 'inquiryType', 'shipping')).toBe('Shipping');
    expect(findOptionLabel(fields, 'inquiryType', 'gone')).toBeNull();
    expect(findOptionLabel(undefined, 'inquiryType', 'shipping')).toBeNull();
  });
});
