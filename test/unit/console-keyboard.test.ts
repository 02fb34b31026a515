import { describe, expect, it } from 'vitest';
import { bindShortcuts, isTypingTarget, SHORTCUTS, shortcutFor } from '../../console/src/models/keyboard';

/** An element as far as the key map looks at it. */
function el(tag: string, editable = false): EventTarget {
  return {
    isContentEditable: editable,
    closest: (sel: string) => (sel.split(',').some((s) => s.trim().split('[')[0] === tag) ? {} : null),
  } as unknown as EventTarget;
}

describe('keyboard map', () => {
  it.each([
    ['j', 'next'],
    ['k', 'previous'],
    ['r', 'reply'],
    ['n', 'note'],
    ['e', 'close'],
    ['/', 'quickReplies'],
    ['?', 'help'],
  ] as const)('maps %s to %s', (key, shortcut) => {
    expect(shortcutFor({ key, target: el('div') })).toBe(shortcut);
  });

  it('ignores other keys, capitals and keys with Ctrl, Cmd or Alt', () => {
    expect(shortcutFor({ key: 'x' })).toBeNull();
    expect(shortcutFor({ key: 'J' })).toBeNull();
    expect(shortcutFor({ key: 'Enter' })).toBeNull();
    expect(shortcutFor({ key: 'r', ctrlKey: true })).toBeNull();
    expect(shortcutFor({ key: 'k', metaKey: true })).toBeNull();
    expect(shortcutFor({ key: 'e', altKey: true })).toBeNull();
  });

  it('ignores keys typed into inputs, text areas, selects and editable content', () => {
    for (const tag of ['input', 'textarea', 'select']) {
      expect(isTypingTarget(el(tag))).toBe(true);
      expect(shortcutFor({ key: 'j', target: el(tag) })).toBeNull();
    }
    expect(shortcutFor({ key: 'j', target: el('div', true) })).toBeNull();
    expect(isTypingTarget(el('button'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('lists every shortcut once for the help dialog', () => {
    expect(SHORTCUTS.map((s) => s.key)).toEqual(['j', 'k', 'r', 'n', 'e', '/', '?']);
    expect(new Set(SHORTCUTS.map((s) => s.shortcut)).size).toBe(SHORTCUTS.length);
  });

  it('binds to the document, prevents the default only for a used shortcut, and unbinds', () => {
    let listener: ((e: KeyboardEvent) => void) | null = null;
    const doc = {
      addEventListener: (_: string, l: (e: KeyboardEvent) => void) => (listener = l),
      removeEventListener: () => (listener = null),
    };
    const seen: string[] = [];
    const stop = bindShortcuts(doc as never, (s) => {
      seen.push(s);
      return s !== 'close';
    });
    const press = (key: string) => {
      let prevented = false;
      listener!({ key, target: el('div'), defaultPrevented: false, isComposing: false, preventDefault: () => (prevented = true) } as unknown as KeyboardEvent);
      return prevented;
    };
    expect(press('j')).toBe(true);
    expect(press('e')).toBe(false);
    expect(press('z')).toBe(false);
    expect(seen).toEqual(['next', 'close']);
    stop();
    expect(listener).toBeNull();
  });
});
