import { batch, signal, type ReadonlySignal } from '@preact/signals';
import type { Ack, ConversationSummary } from '../../../protocol/src/index';

/** How long typing must pause before a search goes out. */
export const SEARCH_DEBOUNCE_MS = 250;

/** The search box above the list: what is typed, and the conversations found. */
export interface SearchModel {
  /** The text in the box. */
  text: ReadonlySignal<string>;
  /** True while a search is typed in (the list then shows results). */
  active: ReadonlySignal<boolean>;
  results: ReadonlySignal<ConversationSummary[]>;
  loading: ReadonlySignal<boolean>;
  error: ReadonlySignal<string | null>;
  /** Sets the text; the search runs once typing pauses. */
  type(text: string): void;
  /** Empties the box and goes back to the inbox. */
  clear(): void;
  /** Replaces a listed result with a live update. */
  upsert(conversation: ConversationSummary): void;
}

/** Builds the search model over `search` (the transport's `inbox:search`). */
export function createSearchModel(deps: {
  search(q: string): Promise<Ack<{ conversations: ConversationSummary[] }>>;
  debounceMs?: number;
  onResults?(conversations: ConversationSummary[]): void;
}): SearchModel {
  const text = signal('');
  const active = signal(false);
  const results = signal<ConversationSummary[]>([]);
  const loading = signal(false);
  const error = signal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let asked = 0;

  async function run(q: string): Promise<void> {
    const ticket = ++asked;
    loading.value = true;
    try {
      const ack = await deps.search(q);
      if (ticket !== asked) return;
      batch(() => {
        loading.value = false;
        if (ack.ok) {
          results.value = ack.data.conversations;
          error.value = null;
          deps.onResults?.(ack.data.conversations);
        } else {
          error.value = ack.message;
        }
      });
    } catch {
      if (ticket !== asked) return;
      batch(() => {
        loading.value = false;
        error.value = 'Search is not available right now. Try again in a moment.';
      });
    }
  }

  function type(next: string): void {
      text.value = next;
      if (timer) clearTimeout(timer);
      const q = next.trim();
      if (!q) {
        asked++;
        batch(() => {
          active.value = false;
          results.value = [];
          loading.value = false;
          error.value = null;
        });
        return;
      }
      active.value = true;
      loading.value = true;
      timer = setTimeout(() => void run(q.slice(0, 200)), deps.debounceMs ?? SEARCH_DEBOUNCE_MS);
  }

  return {
    text,
    active,
    results,
    loading,
    error,
    type,
    clear: () => type(''),
    upsert(c) {
      if (results.peek().some((r) => r.id === c.id)) results.value = results.peek().map((r) => (r.id === c.id ? { ...c, readSeq: r.readSeq } : r));
    },
  };
}
