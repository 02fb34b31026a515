import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { ConversationSummary, InboxView } from '../../../protocol/src/index';

/** The inbox filter tabs. */
export type InboxFilter = 'open' | 'closed' | 'all';

/** The conversation list: what the server listed plus what arrived live. */
export interface InboxModel {
  conversations: ReadonlySignal<ConversationSummary[]>;
  filter: ReadonlySignal<InboxFilter>;
  /** Mine, Unassigned or All, combined with the filter. */
  view: ReadonlySignal<InboxView>;
  /** True until the first list for the current filter arrives. */
  loading: ReadonlySignal<boolean>;
  error: ReadonlySignal<string | null>;
  /** Ids of conversations with visitor messages the agent has not seen. */
  unread: ReadonlySignal<ReadonlySet<string>>;
  setFilter(filter: InboxFilter): void;
  /** Switches the view; `me` is the signed-in agent's id, for Mine. */
  setView(view: InboxView, me: string | null): void;
  /** Replaces the list with a fresh answer from the server. */
  replace(conversations: ConversationSummary[]): void;
  /** Inserts or replaces one conversation, keeping order and filter. */
  upsert(conversation: ConversationSummary): void;
  /** Records that the agent saw this conversation up to `seq`. */
  markSeen(conversationId: string, seq: number): void;
  setLoading(loading: boolean, error?: string | null): void;
  reset(): void;
}

const SEEN_KEY = 'parley:console:seen';

function loadSeen(): Record<string, number> {
  try {
    const raw = localStorage.getItem(SEEN_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

function saveSeen(seen: Record<string, number>): void {
  try {
    localStorage.setItem(SEEN_KEY, JSON.stringify(seen));
  } catch {
    // storage full or blocked: unread dots then last for this tab only
  }
}

const byUpdatedDesc = (a: ConversationSummary, b: ConversationSummary): number =>
  b.updatedAt < a.updatedAt ? -1 : b.updatedAt > a.updatedAt ? 1 : 0;

/** True when a conversation belongs in the list under `filter` and `view` (Mine needs `me`). */
export function matchesFilter(conversation: ConversationSummary, filter: InboxFilter, view: InboxView = 'all', me: string | null = null): boolean {
  if (view === 'mine' && conversation.assigneeId !== me) return false;
  if (view === 'unassigned' && conversation.assigneeId !== null) return false;
  return filter === 'all' || conversation.status === filter;
}

/** Builds the inbox model. The seen marks persist per browser so dots survive a reload. */
export function createInboxModel(): InboxModel {
  const conversations = signal<ConversationSummary[]>([]);
  const filter = signal<InboxFilter>('open');
  const view = signal<InboxView>('all');
  let me: string | null = null;
  const matches = (c: ConversationSummary) => matchesFilter(c, filter.value, view.value, me);
  const loading = signal(true);
  const error = signal<string | null>(null);
  const seen = signal<Record<string, number>>(loadSeen());

  const unread = computed(() => {
    const ids = new Set<string>();
    const marks = seen.value;
    for (const c of conversations.value) {
      if (c.lastMessage?.authorType === 'visitor' && c.lastSeq > (marks[c.id] ?? 0)) ids.add(c.id);
    }
    return ids;
  });

  return {
    conversations,
    filter,
    view,
    loading,
    error,
    unread,
    setFilter(next) {
      if (filter.value === next) return;
      batch(() => {
        filter.value = next;
        conversations.value = [];
        loading.value = true;
      });
    },
    setView(next, agentId) {
      me = agentId;
      // peek: callers may run inside an effect that must not re-run on view changes
      if (view.peek() === next) return;
      batch(() => {
        view.value = next;
        conversations.value = [];
        loading.value = true;
      });
    },
    replace(list) {
      batch(() => {
        conversations.value = list.filter(matches).sort(byUpdatedDesc);
        loading.value = false;
        error.value = null;
      });
    },
    upsert(conversation) {
      const rest = conversations.value.filter((c) => c.id !== conversation.id);
      conversations.value = matches(conversation) ? [conversation, ...rest].sort(byUpdatedDesc) : rest;
    },
    markSeen(conversationId, seq) {
      if ((seen.value[conversationId] ?? 0) >= seq) return;
      seen.value = { ...seen.value, [conversationId]: seq };
      saveSeen(seen.value);
    },
    setLoading(next, message = null) {
      batch(() => {
        loading.value = next;
        error.value = message;
      });
    },
    reset() {
      batch(() => {
        conversations.value = [];
        loading.value = true;
        error.value = null;
      });
    },
  };
}
