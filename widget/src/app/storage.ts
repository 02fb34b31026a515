import { widgetStorageKey } from '../../../protocol/src/limits';

/** A message the visitor sent that the server has not acked yet. */
export interface OutboxItem {
  clientId: string;
  text: string;
  createdAt: string;
}

/**
 * What the widget keeps in localStorage, and only after the visitor submitted
 * the survey. Messages are never kept here (they are refetched on join); only
 * the unacked outbox is, so sends survive a reload.
 */
export interface StoredState {
  token?: string;
  contactId?: string;
  /** The shop's user this browser was verified as (`ChatWidget.setUser`), so it is asked once. */
  userId?: string;
  /** Absent after the conversation ended: the survey shows again, the token stays. */
  conversationId?: string;
  outbox: OutboxItem[];
}

/** Reads and writes one site's state; every failure (blocked storage, bad JSON) reads as "nothing stored". */
export function createStorage(siteId: string) {
  const key = widgetStorageKey(siteId);
  return {
    read(): StoredState | null {
      try {
        const raw = localStorage.getItem(key);
        if (!raw) return null;
        const parsed = JSON.parse(raw) as Partial<StoredState> | null;
        if (!parsed) return null;
        const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
        return {
          token: text(parsed.token),
          contactId: text(parsed.contactId),
          userId: text(parsed.userId),
          conversationId: text(parsed.conversationId),
          outbox: Array.isArray(parsed.outbox) ? parsed.outbox.filter((o) => text(o?.clientId) && text(o.text)) : [],
        };
      } catch {
        return null;
      }
    },
    /** Stores the state, or forgets it (null). */
    write(state: StoredState | null): void {
      try {
        if (state) localStorage.setItem(key, JSON.stringify(state));
        else localStorage.removeItem(key);
      } catch {
        // storage full or blocked: the chat still works for this page view
      }
    },
  };
}

export type WidgetStorage = ReturnType<typeof createStorage>;
