import { useState } from 'preact/hooks';
import { Limits } from '../../../../../protocol/src/index';

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function Composer({ placeholder, onSend }: { placeholder: string; onSend: (text: string) => void }) {
  const [text, setText] = useState('');

  const send = (): void => {
    if (!text.trim()) return;
    onSend(text);
    setText('');
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <textarea
        aria-label="Message"
        placeholder={placeholder}
        rows={1}
        maxLength={Limits.messageText}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" class="send" aria-label="Send">
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M3 20.5v-7l9-1.5-9-1.5v-7L22 12z" />
        </svg>
      </button>
    </form>
  );
}
