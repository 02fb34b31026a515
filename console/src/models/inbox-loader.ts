import type { Transport } from '../transport';
import type { AlertsModel } from './alerts';
import type { InboxModel } from './inbox';

/** How long live updates settle before the counts are asked for again. */
export const COUNTS_DEBOUNCE_MS = 400;
/** How long an open conversation must stay in view before the read mark is sent. */
export const READ_DEBOUNCE_MS = 300;

/** Loads the inbox's pages, counts and labels from the server, and sends read marks. */
export interface InboxLoader {
  /** The first page of the current selection. */
  load(): Promise<void>;
  /** The next page, when there is one and none is loading. */
  loadMore(): Promise<void>;
  /** Asks for the counts again, soon (many live updates make one request). */
  refreshCounts(): void;
  loadLabels(): Promise<void>;
  /** Records that the agent has seen a conversation up to `seq`, locally now and on the server shortly. */
  read(conversationId: string, seq: number): void;
  dispose(): void;
}

/** Builds the loader over the transport. */
export function createInboxLoader(deps: {
  transport: Pick<Transport, 'listInbox' | 'inboxCounts' | 'listLabels' | 'markRead'>;
  inbox: InboxModel;
  alerts?: Pick<AlertsModel, 'know'>;
  onLabels?(labels: Parameters<InboxModel['setLabels']>[0]): void;
}): InboxLoader {
  const { transport, inbox } = deps;
  let countsTimer: ReturnType<typeof setTimeout> | null = null;
  let generation = 0;
  const readTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const sent = new Map<string, number>();
  const wanted = new Map<string, number>();

  return {
    async load() {
      const ticket = ++generation;
      try {
        const ack = await transport.listInbox(inbox.query());
        if (ticket !== generation) return;
        if (!ack.ok) return inbox.setLoading(false, ack.message);
        deps.alerts?.know(ack.data.conversations);
        inbox.replace(ack.data.conversations, ack.data.nextCursor);
      } catch {
        if (ticket === generation) inbox.setLoading(false, 'Could not load conversations.');
      }
    },
    async loadMore() {
      const cursor = inbox.nextCursor.peek();
      if (!cursor || inbox.loadingMore.peek() || inbox.loading.peek()) return;
      const ticket = generation;
      inbox.setLoadingMore(true);
      try {
        const ack = await transport.listInbox(inbox.query(cursor));
        if (ticket !== generation) return;
        if (!ack.ok) return inbox.setLoadingMore(false);
        deps.alerts?.know(ack.data.conversations);
        inbox.append(ack.data.conversations, ack.data.nextCursor);
      } catch {
        // the next scroll asks again
        inbox.setLoadingMore(false);
      }
    },
    refreshCounts() {
      if (countsTimer) return;
      countsTimer = setTimeout(() => {
        countsTimer = null;
        transport.inboxCounts().then(
          (ack) => ack.ok && inbox.setCounts(ack.data.counts),
          () => undefined,
        );
      }, COUNTS_DEBOUNCE_MS);
    },
    async loadLabels() {
      try {
        const ack = await transport.listLabels();
        if (ack.ok) {
          inbox.setLabels(ack.data.labels);
          deps.onLabels?.(ack.data.labels);
        }
      } catch {
        // the label filter stays as it was; the next connect asks again
      }
    },
    read(conversationId, seq) {
      inbox.markSeen(conversationId, seq);
      if ((sent.get(conversationId) ?? 0) >= seq) return;
      wanted.set(conversationId, Math.max(wanted.get(conversationId) ?? 0, seq));
      const pending = readTimers.get(conversationId);
      if (pending) clearTimeout(pending);
      readTimers.set(
        conversationId,
        setTimeout(() => {
          readTimers.delete(conversationId);
          const upTo = wanted.get(conversationId) ?? seq;
          wanted.delete(conversationId);
          if ((sent.get(conversationId) ?? 0) >= upTo) return;
          sent.set(conversationId, upTo);
          transport.markRead(conversationId, upTo).catch(() => sent.delete(conversationId));
        }, READ_DEBOUNCE_MS),
      );
    },
    dispose() {
      generation++;
      if (countsTimer) clearTimeout(countsTimer);
      countsTimer = null;
      for (const t of readTimers.values()) clearTimeout(t);
      readTimers.clear();
      sent.clear();
      wanted.clear();
    },
  };
}
