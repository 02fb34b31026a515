import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { Limits } from '../../../protocol/src/limits';
import { useQuickReplyPicker } from './quick-replies/use-quick-reply-picker';

/** Props of {@link Composer}. */
export interface ComposerProps {
  /** Why the agent cannot reply, or null when they can. */
  disabledReason: string | null;
  onSend(text: string): void;
}

/** The reply box: Enter sends, Shift+Enter starts a new line. */
export function Composer({ disabledReason, onSend }: ComposerProps): JSX.Element {
  const text = useSignal('');
  const tooLong = text.value.length > Limits.messageText;
  const canSend = !disabledReason && text.value.trim() !== '' && !tooLong;
  const picker = useQuickReplyPicker(text);

  function send(): void {
    if (!canSend) return;
    onSend(text.value);
    text.value = '';
  }

  function onKeyDown(e: KeyboardEvent): void {
    if (picker.onKeyDown(e)) return;
    // Enter while an IME is composing confirms the composition, not the message
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {picker.popup}
      <textarea
        {...picker.inputProps}
        aria-label="Reply"
        aria-describedby="composer-hint"
        placeholder={disabledReason ?? 'Write a reply…'}
        rows={3}
        disabled={!!disabledReason}
        value={text.value}
        onInput={(e) => {
          text.value = e.currentTarget.value;
          picker.onInput();
        }}
        onKeyDown={onKeyDown}
      />
      <div class="composer-bar">
        <p id="composer-hint" class={`hint${tooLong ? ' error' : ''}`}>
          {tooLong
            ? `${text.value.length} / ${Limits.messageText} characters: too long to send`
            : disabledReason ?? 'Enter to send, Shift+Enter for a new line, / for quick replies'}
        </p>
        <p class="visually-hidden" role="status">
          {picker.status}
        </p>
        <button type="submit" class="button primary" disabled={!canSend}>
          Send
        </button>
      </div>
    </form>
  );
}
