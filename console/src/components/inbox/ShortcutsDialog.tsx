import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { SHORTCUTS } from '../../models/keyboard';

/** The list of keyboard shortcuts, in a modal dialog that Escape or "Close" dismisses. */
export function ShortcutsDialog({ onClose }: { onClose(): void }): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
  }, []);
  return (
    <dialog ref={ref} class="shortcuts" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map((s) => (
          <div key={s.key} class="shortcut">
            <dt>
              <kbd>{s.key}</kbd>
            </dt>
            <dd>{s.description}</dd>
          </div>
        ))}
      </dl>
      <p class="hint">Shortcuts do nothing while you type in a field.</p>
      <button type="button" class="button" onClick={() => ref.current?.close()}>
        Close
      </button>
    </dialog>
  );
}
