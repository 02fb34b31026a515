import { describe, expect, it } from 'vitest';
import { createInboxModel, insertSorted, isPending, isUnread, matchesSelection, previewAuthor, type InboxSelection } from '../../console/src/models/inbox';
import type { ConversationSummary } from '../../protocol/src/index';

const ME = 'agent-me';
let n = 0;

function conv(over: Partial<ConversationSummary> & { at?: string } = {}): ConversationSummary {
  n++;
  const { at, ...rest } = over;
  return {
    id: `c${String(n).padStart(4, '0')}`,
    siteId: 'demo',
    status: 'open',
    contact: { id: `k${n}`, siteId: 'demo', name: `Visitor ${n}`, email: null, phone: null, language: 'en', createdAt: '2026-01-01T00:00:00.000Z' },
    inquiryType: null,
    assigneeId: null,
    lastSeq: 1,
    lastMessage: { text: 'hello', authorType: 'visitor', authorName: 'V', authorId: null, createdAt: at ?? '2026-01-01T10:00:00.000Z' },
    lastVisitorSeq: 1,
    awaiting: 'agent',
    labels: [],
    createdAt: '2026-01-01T09:00:00.000Z',
    updatedAt: at ?? '2026-01-01T10:00:00.000Z',
    rating: null,
    ...rest,
  };
}

const sel = (s: Partial<InboxSelection> = {}): InboxSelection => ({ view: 'all', status: 'open', teamId: null, label: null, ...s });

describe('inbox ordering', () => {
  it('lists the latest activity first and keeps that order when live updates arrive', () => {
    const inbox = createInboxModel();
    const a = conv({ at: '2026-01-01T10:00:00.000Z' });
    const b = conv({ at: '2026-01-01T11:00:00.000Z' });
    const c = conv({ at: '2026-01-01T09:00:00.000Z' });
    inbox.replace([a, b, c]);
    expect(inbox.conversations.value.map((x) => x.id)).toEqual([b.id, a.id, c.id]);
    // c gets a new message: it moves to the top, replacing its old copy
    inbox.upsert({ ...c, updatedAt: '2026-01-01T12:00:00.000Z', lastSeq: 2 });
    expect(inbox.conversations.value.map((x) => x.id)).toEqual([c.id, b.id, a.id]);
    expect(inbox.conversations.value).toHaveLength(3);
  });

  it('inserts into a sorted list with a binary search, ties broken by id', () => {
    const list = [conv({ at: '2026-01-03T00:00:00.000Z' }), conv({ at: '2026-01-02T00:00:00.000Z' }), conv({ at: '2026-01-01T00:00:00.000Z' })];
    const mid = conv({ at: '2026-01-02T00:00:00.000Z' });
    const out = insertSorted(list, mid);
    expect(out.map((c) => c.updatedAt)).toEqual(['2026-01-03T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    // the higher id of the tie goes first, so the order is total and stable across pages
    expect(out[1]!.id > out[2]!.id).toBe(true);
    expect(list).toHaveLength(3);
  });

  it('appends further pages without duplicating conversations already listed', () => {
    const inbox = createInboxModel();
    const page1 = [conv({ at: '2026-01-05T00:00:00.000Z' }), conv({ at: '2026-01-04T00:00:00.000Z' })];
    inbox.replace(page1, 'cursor-1');
    expect(inbox.nextCursor.value).toBe('cursor-1');
    inbox.append([page1[1]!, conv({ at: '2026-01-03T00:00:00.000Z' })], null);
    expect(inbox.conversations.value).toHaveLength(3);
    expect(inbox.nextCursor.value).toBeNull();
  });

  it('keeps a live conversation older than the loaded pages out until its page loads', () => {
    const inbox = createInboxModel();
    inbox.replace([conv({ at: '2026-01-05T00:00:00.000Z' })], 'more');
    inbox.upsert(conv({ at: '2026-01-01T00:00:00.000Z' }));
    expect(inbox.conversations.value).toHaveLength(1);
    inbox.upsert(conv({ at: '2026-01-06T00:00:00.000Z' }));
    expect(inbox.conversations.value).toHaveLength(2);
  });

  it('stays smooth with 50,000 conversations: a live update costs one insertion, not a sort', () => {
    const inbox = createInboxModel();
    const many = Array.from({ length: 50_000 }, (_, i) => conv({ at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() }));
    inbox.replace(many);
    const started = performance.now();
    for (let i = 0; i < 50; i++) inbox.upsert({ ...many[i]!, updatedAt: new Date(Date.UTC(2026, 6, 1) + i).toISOString() });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(inbox.conversations.value[0]!.id).toBe(many[49]!.id);
    expect(inbox.conversations.value).toHaveLength(50_000);
  });
});

describe('inbox filtering', () => {
  it('pending means open and waiting on the visitor', () => {
    expect(isPending(conv({ awaiting: 'visitor' }))).toBe(true);
    expect(isPending(conv({ awaiting: 'agent' }))).toBe(false);
    expect(isPending(conv({ awaiting: 'visitor', status: 'closed' }))).toBe(false);
    expect(matchesSelection(conv({ awaiting: 'visitor' }), sel({ status: 'pending' }), ME)).toBe(true);
    expect(matchesSelection(conv({ awaiting: null }), sel({ status: 'pending' }), ME)).toBe(false);
  });

  it('filters by view, team, label and status together', () => {
    const mine = conv({ assigneeId: ME, labels: ['paid'], routing: { teamId: 'billing', priority: 1, rule: null, reason: null, queuedAt: null } });
    expect(matchesSelection(mine, sel({ view: 'mine' }), ME)).toBe(true);
    expect(matchesSelection(mine, sel({ view: 'mine' }), 'someone-else')).toBe(false);
    expect(matchesSelection(mine, sel({ view: 'mine' }), null)).toBe(false);
    expect(matchesSelection(mine, sel({ view: 'unassigned' }), ME)).toBe(false);
    expect(matchesSelection(mine, sel({ teamId: 'billing', label: 'paid' }), ME)).toBe(true);
    expect(matchesSelection(mine, sel({ teamId: 'shipping' }), ME)).toBe(false);
    expect(matchesSelection(mine, sel({ label: 'new customer' }), ME)).toBe(false);
    expect(matchesSelection(mine, sel({ status: 'closed' }), ME)).toBe(false);
    expect(matchesSelection(mine, sel({ status: 'all' }), ME)).toBe(true);
  });

  it('drops a conversation from the list when a live update takes it out of the filter', () => {
    const inbox = createInboxModel();
    const c = conv();
    inbox.replace([c]);
    inbox.upsert({ ...c, status: 'closed', updatedAt: '2026-01-02T00:00:00.000Z' });
    expect(inbox.conversations.value).toEqual([]);
  });

  it('asks the server for the selected view, status, team and label, with the cursor of the next page', () => {
    const inbox = createInboxModel();
    inbox.setView('mine', ME);
    inbox.setFilter('pending');
    inbox.setTeam('billing');
    inbox.setLabel('paid');
    expect(inbox.query('abc')).toMatchObject({ view: 'mine', status: 'pending', teamId: 'billing', label: 'paid', cursor: 'abc' });
    expect(inbox.query()).not.toHaveProperty('cursor');
  });

  it('empties the list and shows loading when the selection changes, but not when it stays', () => {
    const inbox = createInboxModel();
    inbox.replace([conv()]);
    inbox.setFilter('open');
    expect(inbox.conversations.value).toHaveLength(1);
    inbox.setLabel('paid');
    expect(inbox.conversations.value).toEqual([]);
    expect(inbox.loading.value).toBe(true);
  });
});

describe('unread', () => {
  it('counts a conversation unread when visitor messages pass my read mark, whoever wrote last', () => {
    // an away auto-reply came last: still unread, since the visitor's message is unseen
    const c = conv({ lastSeq: 2, lastVisitorSeq: 1, readSeq: 0, lastMessage: { text: 'We are away', authorType: 'bot', authorName: 'Northwind Tea', authorId: null, createdAt: '2026-01-01T10:00:00.000Z' } });
    expect(isUnread(c, 0)).toBe(true);
    expect(isUnread(c, 1)).toBe(false);
    const inbox = createInboxModel();
    inbox.replace([c]);
    expect(inbox.unread.value.has(c.id)).toBe(true);
  });

  it('takes the read mark from the server and moves it when I read, never backwards', () => {
    const inbox = createInboxModel();
    const c = conv({ lastVisitorSeq: 5, lastSeq: 6, readSeq: 5 });
    const d = conv({ lastVisitorSeq: 3, lastSeq: 3, readSeq: 1 });
    inbox.replace([c, d]);
    expect([...inbox.unread.value]).toEqual([d.id]);
    inbox.markSeen(d.id, 3);
    expect(inbox.unread.value.size).toBe(0);
    inbox.markSeen(d.id, 1);
    expect(inbox.readSeq(d.id)).toBe(3);
    // a new visitor message (broadcasts carry no readSeq) makes it unread again
    inbox.upsert({ ...d, readSeq: undefined, lastVisitorSeq: 4, lastSeq: 4, updatedAt: '2026-01-02T00:00:00.000Z' });
    expect(inbox.unread.value.has(d.id)).toBe(true);
  });

  it('forgets read marks on sign-out', () => {
    const inbox = createInboxModel();
    inbox.markSeen('x', 3);
    inbox.reset();
    expect(inbox.readSeq('x')).toBe(0);
  });
});

describe('preview author', () => {
  const last = (authorType: 'visitor' | 'agent' | 'bot' | 'system', authorId: string | null, authorName: string | null) => ({ text: 't', authorType, authorId, authorName, createdAt: '2026-01-01T00:00:00.000Z' });

  it('says "You: " only for my own messages', () => {
    expect(previewAuthor(last('agent', ME, 'Me'), ME)).toBe('You: ');
    expect(previewAuthor(last('agent', 'sam', 'Sam'), ME)).toBe('Sam: ');
    expect(previewAuthor(last('agent', null, null), ME)).toBe('Agent: ');
    expect(previewAuthor(last('agent', ME, 'Me'), null)).toBe('Me: ');
  });

  it('names bots as "Bot: " and the visitor not at all', () => {
    expect(previewAuthor(last('bot', null, 'Northwind Tea'), ME)).toBe('Bot: ');
    expect(previewAuthor(last('visitor', null, 'Mia'), ME)).toBe('');
    expect(previewAuthor(null, ME)).toBe('');
  });
});
