import { useEffect } from 'preact/hooks';
import type { ConsoleModel } from '../../models/console';
import { bindShortcuts, type Shortcut } from '../../models/keyboard';

function accessibleName(el: Element): string {
  const aria = el.getAttribute('aria-label');
  if (aria) return aria.trim();
  const labelled = el.getAttribute('aria-labelledby');
  if (labelled) return labelled.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
  const labels = (el as HTMLTextAreaElement).labels;
  if (labels && labels.length > 0) return (labels[0]!.textContent ?? '').trim();
  return (el.textContent ?? '').trim();
}

/** The first element matching `selector` whose accessible name is `name`. */
function byName<T extends HTMLElement>(selector: string, name: string): T | null {
  for (const el of document.querySelectorAll<T>(selector)) if (accessibleName(el) === name) return el;
  return null;
}

const MODE_TOGGLES = 'button, [role="tab"], [role="radio"], input[type="radio"]';

/** Focuses the reply box (switching the composer back to Reply first); null when there is none. */
function focusReply(): HTMLTextAreaElement | null {
  byName<HTMLElement>(MODE_TOGGLES, 'Reply')?.click();
  const box = byName<HTMLTextAreaElement>('textarea', 'Reply');
  if (!box || box.disabled) return null;
  box.focus();
  return box;
}

function run(model: ConsoleModel, shortcut: Shortcut, openHelp: () => void): boolean {
  switch (shortcut) {
    case 'next':
      return model.move(1);
    case 'previous':
      return model.move(-1);
    case 'close':
      return model.closeOpen();
    case 'help':
      openHelp();
      return true;
    case 'reply':
      return focusReply() !== null;
    case 'note': {
      const toggle = byName<HTMLElement>(MODE_TOGGLES, 'Note');
      if (!toggle) return false;
      toggle.click();
      // the note box renders after the switch
      requestAnimationFrame(() => byName<HTMLTextAreaElement>('textarea', 'Note')?.focus());
      return true;
    }
    case 'quickReplies': {
      const box = focusReply();
      if (!box) return false;
      const glue = box.value === '' || /\s$/.test(box.value) ? '' : ' ';
      box.value = `${box.value}${glue}/`;
      box.setSelectionRange(box.value.length, box.value.length);
      // the composer follows its textarea through input events
      box.dispatchEvent(new Event('input', { bubbles: true }));
      return true;
    }
  }
}

/** Binds the inbox's keyboard shortcuts to the document while the inbox shows. */
export function useShortcuts(model: ConsoleModel, openHelp: () => void): void {
  useEffect(() => bindShortcuts(document, (s) => (document.querySelector('dialog[open]') ? false : run(model, s, openHelp))), [model]);
}
