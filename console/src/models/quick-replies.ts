import { batch, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { QuickReply } from '../../../protocol/src/index';
import type { AutoReplyApi } from '../auto-reply-api';

/** The quick replies of the open conversation, filled in for its contact. */
export interface QuickRepliesModel {
  items: ReadonlySignal<QuickReply[]>;
  status: ReadonlySignal<'idle' | 'loading' | 'ready' | 'error'>;
  /** Loads the list for the open conversation unless it is loaded or loading already. */
  ensure(): void;
  /** Forgets the list, so the next `ensure` asks again (another conversation, edited replies). */
  reset(): void;
}

/** Builds the model; `openId` says which conversation the list is for. */
export function createQuickRepliesModel(deps: { api: Pick<AutoReplyApi, 'quickReplies'>; openId: ReadonlySignal<string | null> }): QuickRepliesModel {
  const items = signal<QuickReply[]>([]);
  const status = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
  let loadedFor: string | null = null;

  // another conversation: the previous contact's filled-in replies go at once, before any load
  effect(() => {
    const id = deps.openId.value;
    if (loadedFor === null || loadedFor === id) return;
    loadedFor = null;
    batch(() => {
      items.value = [];
      status.value = 'idle';
    });
  });

  return {
    items,
    status,
    ensure() {
      const id = deps.openId.value;
      if (!id || (loadedFor === id && status.value !== 'error')) return;
      const switched = loadedFor !== id;
      loadedFor = id;
      batch(() => {
        if (switched) items.value = [];
        status.value = 'loading';
      });
      deps.api.quickReplies(id).then(
        (list) => {
          if (loadedFor !== id) return;
          batch(() => {
            items.value = list;
            status.value = 'ready';
          });
        },
        () => {
          if (loadedFor !== id) return;
          batch(() => {
            items.value = [];
            status.value = 'error';
          });
        },
      );
    },
    reset() {
      loadedFor = null;
      batch(() => {
        items.value = [];
        status.value = 'idle';
      });
    },
  };
}

/** Quick replies whose shortcut starts with the query first, then those that mention it anywhere. */
export function filterQuickReplies(items: readonly QuickReply[], query: string): QuickReply[] {
  const q = query.toLowerCase();
  if (q === '') return [...items];
  const starts = items.filter((i) => i.shortcut.toLowerCase().startsWith(q));
  const mentions = items.filter(
    (i) => !starts.includes(i) && (i.shortcut.toLowerCase().includes(q) || (i.title ?? '').toLowerCase().includes(q) || i.text.toLowerCase().includes(q)),
  );
  return [...starts, ...mentions];
}
