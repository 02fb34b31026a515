import { type Signal, useSignal } from '@preact/signals';
import type { JSX, RefObject } from 'preact';
import { useContext, useEffect, useId, useRef } from 'preact/hooks';
import type { QuickReply } from '../../../../protocol/src/index';
import { filterQuickReplies } from '../../models/quick-replies';
import { QuickRepliesContext } from './context';
import { QuickReplyList } from './QuickReplyList';

/** The `/shortcut` being typed at the caret: at the start or after a space. */
const TRIGGER = /(^|\s)\/([\p{L}\p{N}_-]{0,30})$/u;

/** What the reply box wires in: its textarea's extra props, its key handler, and the popup to render. */
export interface QuickReplyPicker {
  inputProps: {
    ref: RefObject<HTMLTextAreaElement>;
    'aria-autocomplete'?: 'list';
    'aria-controls'?: string;
    'aria-activedescendant'?: string;
    onKeyUp(e: KeyboardEvent): void;
    onClick(): void;
  };
  /** Call after each input: follows the caret and reopens a list closed with Escape. */
  onInput(): void;
  /** Handles the picker's keys; true when the key was used and the reply box must ignore it. */
  onKeyDown(e: KeyboardEvent): boolean;
  popup: JSX.Element | null;
  /** A sentence for screen readers about the open list, or ''. */
  status: string;
}

/**
 * The quick-reply picker of the reply box: typing `/` opens a filtered list
 * of quick replies, chosen with the arrow keys and Enter or Tab, or with the
 * mouse; the choice replaces the `/shortcut` with the text already filled in
 * for the open conversation's contact.
 */
export function useQuickReplyPicker(text: Signal<string>): QuickReplyPicker {
  const model = useContext(QuickRepliesContext);
  const ref = useRef<HTMLTextAreaElement>(null);
  const caret = useSignal(0);
  const active = useSignal(0);
  const dismissed = useSignal<string | null>(null);
  const listId = useId();

  const before = text.value.slice(0, caret.value);
  const match = model ? TRIGGER.exec(before) : null;
  const query = match?.[2] ?? '';
  const key = match ? `${caret.value - query.length - 1}:${query}` : null;
  const open = match !== null && dismissed.value !== key;
  const items = open && model ? filterQuickReplies(model.items.value, query) : [];
  const index = Math.min(active.value, Math.max(items.length - 1, 0));
  const optionId = (i: number) => `${listId}-option-${i}`;

  const syncCaret = () => {
    const el = ref.current;
    if (el) caret.value = el.selectionEnd ?? el.value.length;
  };

  function pick(reply: QuickReply): void {
    const el = ref.current;
    const start = caret.value - query.length - 1;
    const next = text.value.slice(0, start) + reply.text + text.value.slice(caret.value);
    const at = start + reply.text.length;
    text.value = next;
    caret.value = at;
    active.value = 0;
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at, at);
    });
  }

  useEffect(() => {
    if (open) model?.ensure();
  }, [open, model]);

  return {
    inputProps: {
      ref,
      ...(open ? { 'aria-autocomplete': 'list' as const, 'aria-controls': listId } : {}),
      ...(open && items.length > 0 ? { 'aria-activedescendant': optionId(index) } : {}),
      onKeyUp: (e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') syncCaret();
      },
      onClick: syncCaret,
    },
    onInput() {
      syncCaret();
      active.value = 0;
      // typing again after Escape shows the list again
      dismissed.value = null;
    },
    onKeyDown(e) {
      if (!open || e.isComposing) return false;
      if (e.key === 'Escape') {
        dismissed.value = key;
        return stop(e);
      }
      if (items.length === 0) return false;
      if (e.key === 'ArrowDown') {
        active.value = (index + 1) % items.length;
        return stop(e);
      }
      if (e.key === 'ArrowUp') {
        active.value = (index - 1 + items.length) % items.length;
        return stop(e);
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        pick(items[index] as QuickReply);
        return stop(e);
      }
      return false;
    },
    popup: open && model ? (
      <QuickReplyList
        id={listId}
        items={items}
        active={index}
        query={query}
        status={model.status.value}
        optionId={optionId}
        onPick={pick}
        onHover={(i) => (active.value = i)}
      />
    ) : null,
    status: open && items.length > 0 ? `${items.length} quick ${items.length === 1 ? 'reply' : 'replies'}. Up and down to choose, Enter to insert.` : '',
  };
}

function stop(e: KeyboardEvent): true {
  e.preventDefault();
  e.stopPropagation();
  return true;
}
