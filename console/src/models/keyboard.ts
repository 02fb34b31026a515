/** What a keyboard shortcut of the inbox does. */
export type Shortcut = 'next' | 'previous' | 'reply' | 'note' | 'close' | 'quickReplies' | 'help';

/** The shortcuts, in the order the help dialog lists them. */
export const SHORTCUTS: readonly { key: string; shortcut: Shortcut; description: string }[] = [
  { key: 'j', shortcut: 'next', description: 'Open the next conversation in the list' },
  { key: 'k', shortcut: 'previous', description: 'Open the previous conversation in the list' },
  { key: 'r', shortcut: 'reply', description: 'Write a reply' },
  { key: 'n', shortcut: 'note', description: 'Write a private note' },
  { key: 'e', shortcut: 'close', description: 'Close the open conversation' },
  { key: '/', shortcut: 'quickReplies', description: 'Pick a quick reply' },
  { key: '?', shortcut: 'help', description: 'Show these shortcuts' },
];

const BY_KEY = new Map(SHORTCUTS.map((s) => [s.key, s.shortcut]));

/** The part of a keyboard event the map reads. */
export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: EventTarget | null;
}

/** True when keys typed at `target` are text (inputs, text areas, selects, editable content). */
export function isTypingTarget(target: EventTarget | null | undefined): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  return el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
}

/**
 * The shortcut a key press asks for, or null: keys with Ctrl, Cmd or Alt
 * belong to the browser, and keys typed into a field are text.
 */
export function shortcutFor(e: KeyInput): Shortcut | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (isTypingTarget(e.target)) return null;
  return BY_KEY.get(e.key) ?? null;
}

/** Listens for shortcuts on `target` (the document); returns the cleanup. */
export function bindShortcuts(target: Pick<Document, 'addEventListener' | 'removeEventListener'>, run: (shortcut: Shortcut) => boolean | void): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.isComposing) return;
    const shortcut = shortcutFor(e);
    // a handler returning false did not use the key (nothing to act on)
    if (shortcut && run(shortcut) !== false) e.preventDefault();
  };
  target.addEventListener('keydown', onKey as EventListener);
  return () => target.removeEventListener('keydown', onKey as EventListener);
}
