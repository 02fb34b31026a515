import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { ConversationSummary, InboxCounts, InboxQuery, InboxStatus, InboxView, Label } from '../../../protocol/src/index';

/** The status tabs: Open, Pending (waiting on the visitor), Closed, All. */
export type InboxFilter = InboxStatus;

/** What the list shows: a view, a status, and optionally a team and a label. */
export interface InboxSelection {
  view: InboxView;
  status: InboxFilter;
  teamId: string | null;
  label: string | null;
}

/** The conversation list: pages the server listed plus what arrived live, with read marks and counts. */
export interface InboxModel {
  /** The listed conversations, most recent activity first. */
  conversations: ReadonlySignal<ConversationSummary[]>;
  filter: ReadonlySignal<InboxFilter>;
  view: ReadonlySignal<InboxView>;
  teamId: ReadonlySignal<string | null>;
  label: ReadonlySignal<string | null>;
  /** True until the first page for the current selection arrives. */
  loading: ReadonlySignal<boolean>;
  /** True while a further page loads. */
  loadingMore: ReadonlySignal<boolean>;
  /** The cursor of the next page, or null when the list is complete. */
  nextCursor: ReadonlySignal<string | null>;
  error: ReadonlySignal<string | null>;
  /** Ids of listed conversations with visitor messages the agent has not seen. */
  unread: ReadonlySignal<ReadonlySet<string>>;
  /** Per view and per team, from the server. */
  counts: ReadonlySignal<InboxCounts | null>;
  /** The site's label catalogue, for the label filter. */
  labels: ReadonlySignal<Label[]>;
  /** The signed-in agent's id (Mine and "You:" depend on it). */
  me(): string | null;
  /** The query of the current selection, for `inbox:list`. */
  query(cursor?: string | null): Partial<InboxQuery>;
  setFilter(filter: InboxFilter): void;
  /** Switches the view; `me` is the signed-in agent's id, for Mine. */
  setView(view: InboxView, me: string | null): void;
  setTeam(teamId: string | null): void;
  setLabel(label: string | null): void;
  /** Replaces the list with a first page from the server. */
  replace(conversations: ConversationSummary[], nextCursor?: string | null): void;
  /** Appends a further page (ignoring ones already listed). */
  append(conversations: ConversationSummary[], nextCursor: string | null): void;
  /** Inserts or replaces one conversation, keeping order and filter. */
  upsert(conversation: ConversationSummary): void;
  /** Drops conversations that no longer exist. */
  remove(ids: readonly string[]): void;
  /** Records that the agent saw this conversation up to `seq`. */
  markSeen(conversationId: string, seq: number): void;
  /** The agent's read mark of a conversation (0 when unknown). */
  readSeq(conversationId: string): number;
  setCounts(counts: InboxCounts): void;
  setLabels(labels: Label[]): void;
  setLoading(loading: boolean, error?: string | null): void;
  setLoadingMore(loading: boolean): void;
  reset(): void;
}

/** True when `a` sorts before `b`: later activity first, ties by id so the order is total. */
export function sortsBefore(a: ConversationSummary, b: ConversationSummary): boolean {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt;
  return a.id > b.id;
}

/** Pending: open and waiting on the visitor (an agent wrote last). */
export function isPending(c: ConversationSummary): boolean {
  return c.status === 'open' && c.awaiting === 'visitor';
}

/** True when a conversation belongs in the list under a selection (Mine needs `me`). */
export function matchesSelection(c: ConversationSummary, s: InboxSelection, me: string | null): boolean {
  if (s.view === 'mine' && (me === null || c.assigneeId !== me)) return false;
  if (s.view === 'unassigned' && c.assigneeId !== null) return false;
  if (s.teamId && (c.routing?.teamId ?? null) !== s.teamId) return false;
  if (s.label && !(c.labels ?? []).includes(s.label)) return false;
  if (s.status === 'pending') return isPending(c);
  return s.status === 'all' || c.status === s.status;
}

/** True when the conversation has visitor messages past the agent's read mark, whoever wrote last. */
export function isUnread(c: ConversationSummary, readSeq: number): boolean {
  return (c.lastVisitorSeq ?? 0) > readSeq;
}

/** The author prefix of a list preview: "You: " for my own, another agent's name, "Bot: ", nothing for the visitor. */
export function previewAuthor(last: ConversationSummary['lastMessage'], me: string | null): string {
  if (!last) return '';
  if (last.authorType === 'visitor') return '';
  if (last.authorType === 'bot') return 'Bot: ';
  if (last.authorType === 'system') return '';
  if (me !== null && last.authorId === me) return 'You: ';
  const name = last.authorName?.trim();
  return name ? `${name}: ` : 'Agent: ';
}

/** Inserts `c` into the sorted `list` (which must not hold it), returning a new array. */
export function insertSorted(list: readonly ConversationSummary[], c: ConversationSummary): ConversationSummary[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortsBefore(list[mid]!, c)) lo = mid + 1;
    else hi = mid;
  }
  const next = list.slice();
  next.splice(lo, 0, c);
  return next;
}

/** Builds the inbox model. Read marks come from the server (summary.readSeq) and from this agent's reads. */
export function createInboxModel(): InboxModel {
  const conversations = signal<ConversationSummary[]>([]);
  const filter = signal<InboxFilter>('open');
  const view = signal<InboxView>('all');
  const teamId = signal<string | null>(null);
  const label = signal<string | null>(null);
  const loading = signal(true);
  const loadingMore = signal(false);
  const nextCursor = signal<string | null>(null);
  const error = signal<string | null>(null);
  const counts = signal<InboxCounts | null>(null);
  const labels = signal<Label[]>([]);
  const marks = signal<ReadonlyMap<string, number>>(new Map());
  let me: string | null = null;

  const selection = (): InboxSelection => ({ view: view.peek(), status: filter.peek(), teamId: teamId.peek(), label: label.peek() });
  const mark = (id: string): number => marks.peek().get(id) ?? 0;

  const unread = computed(() => {
    const ids = new Set<string>();
    const m = marks.value;
    for (const c of conversations.value) if (isUnread(c, m.get(c.id) ?? 0)) ids.add(c.id);
    return ids;
  });

  /** Takes the server's read marks of a page: they are the truth for this agent, except where this tab read further. */
  function learnMarks(list: ConversationSummary[]): void {
    let next: Map<string, number> | null = null;
    for (const c of list) {
      if (typeof c.readSeq !== 'number' || c.readSeq <= mark(c.id)) continue;
      next ??= new Map(marks.peek());
      next.set(c.id, c.readSeq);
    }
    if (next) marks.value = next;
  }

  function clearList(): void {
    conversations.value = [];
    nextCursor.value = null;
    loading.value = true;
    error.value = null;
  }

  function change<T>(s: { peek(): T; value: T }, next: T): void {
    if (s.peek() === next) return;
    batch(() => {
      s.value = next;
      clearList();
    });
  }

  return {
    conversations,
    filter,
    view,
    teamId,
    label,
    loading,
    loadingMore,
    nextCursor,
    error,
    unread,
    counts,
    labels,
    me: () => me,
    query(cursor = null) {
      const s = selection();
      return { view: s.view, status: s.status, teamId: s.teamId, label: s.label, ...(cursor ? { cursor } : {}), limit: 100 };
    },
    setFilter: (next) => change(filter, next),
    setView(next, agentId) {
      me = agentId;
      // peek inside change: callers may run in an effect that must not re-run on view changes
      change(view, next);
    },
    setTeam: (next) => change(teamId, next),
    setLabel: (next) => change(label, next),
    replace(list, cursor = null) {
      const s = selection();
      batch(() => {
        learnMarks(list);
        const seen = new Set<string>();
        const kept = list.filter((c) => !seen.has(c.id) && seen.add(c.id) && matchesSelection(c, s, me));
        conversations.value = kept.sort((a, b) => (sortsBefore(a, b) ? -1 : 1));
        nextCursor.value = cursor;
        loading.value = false;
        error.value = null;
      });
    },
    append(list, cursor) {
      const s = selection();
      batch(() => {
        learnMarks(list);
        const have = new Set(conversations.peek().map((c) => c.id));
        let next = conversations.peek();
        for (const c of list) {
          if (have.has(c.id) || !matchesSelection(c, s, me)) continue;
          have.add(c.id);
          next = next.length && sortsBefore(next[next.length - 1]!, c) ? [...next, c] : insertSorted(next, c);
        }
        conversations.value = next;
        nextCursor.value = cursor;
        loadingMore.value = false;
      });
    },
    upsert(c) {
      if (typeof c.readSeq === 'number') learnMarks([c]);
      const list = conversations.peek();
      const at = list.findIndex((x) => x.id === c.id);
      const rest = at < 0 ? list : [...list.slice(0, at), ...list.slice(at + 1)];
      const keep = matchesSelection(c, selection(), me);
      if (!keep) {
        if (at >= 0) conversations.value = rest;
        return;
      }
      // a live conversation older than the last listed one belongs to a page not loaded yet
      const last = rest[rest.length - 1];
      if (at < 0 && nextCursor.peek() && last && sortsBefore(last, c)) return;
      conversations.value = insertSorted(rest, c);
    },
    remove(ids) {
      const gone = new Set(ids);
      const list = conversations.peek();
      if (list.some((c) => gone.has(c.id))) conversations.value = list.filter((c) => !gone.has(c.id));
    },
    markSeen(conversationId, seq) {
      if (mark(conversationId) >= seq) return;
      const next = new Map(marks.peek());
      next.set(conversationId, seq);
      marks.value = next;
    },
    readSeq: (id) => marks.value.get(id) ?? 0,
    setCounts(next) {
      counts.value = next;
    },
    setLabels(next) {
      labels.value = next;
    },
    setLoading(next, message = null) {
      batch(() => {
        loading.value = next;
        error.value = message;
      });
    },
    setLoadingMore(next) {
      loadingMore.value = next;
    },
    reset() {
      batch(() => {
        clearList();
        loadingMore.value = false;
        counts.value = null;
        marks.value = new Map();
      });
    },
  };
}
