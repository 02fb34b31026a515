import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { Limits } from '../../../protocol/src/limits';
import { useQuickReplyPicker } from './quick-replies/use-quick-reply-picker';
import { AttachButton } from './attachments/AttachButton';
import { ScheduleNotice, SendAtButton, type ScheduleOffer } from './follow-ups/ScheduleNotice';

/** Props of {@link Composer}. */
export interface ComposerProps {
  /** Why the agent cannot reply, or null when they can. Notes stay possible on a closed conversation. */
  disabledReason: string | null;
  /** A reply-mode hint that replaces the usual one (a closed conversation reopens on send). */
  replyHint?: string | null;
  /** Outside the contact's daytime: the notice and the "Send at …" choice (reply mode only). */
  schedule?: ScheduleOffer | null;
  onSend(text: string): void;
  onNote(text: string): void;
  /** The agent is (or stopped) typing a reply; notes are never announced. */
  onTyping?(typing: boolean): void;
  /** The open conversation, for attaching files to it. */
  conversationId?: string;
}

/**
 * The reply box with a Reply / Note switch: Enter sends, Shift+Enter starts a
 * new line. A note goes to agents only and is drawn in the note colour.
 */
export function Composer({ disabledReason, replyHint, schedule, onSend, onNote, onTyping, conversationId }: ComposerProps): JSX.Element {
  const text = useSignal('');
  const mode = useSignal<'reply' | 'note'>('reply');
  const note = mode.value === 'note';
  const blocked = note ? null : disabledReason;
  const tooLong = text.value.length > Limits.messageText;
  const canSend = !blocked && text.value.trim() !== '' && !tooLong;
  const picker = useQuickReplyPicker(text);
  const offer = note || blocked ? null : (schedule ?? null);

  async function scheduleLater(): Promise<void> {
    if (!offer || !canSend) return;
    const sent = text.value;
    onTyping?.(false);
    // the agent may have typed on while the request was out: keep what is new
    if ((await offer.onSchedule(sent)) && text.value === sent) text.value = '';
  }

  function send(): void {
    if (!canSend) return;
    if (note) onNote(text.value);
    else onSend(text.value);
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

  const hint = tooLong
    ? `${text.value.length} / ${Limits.messageText} characters: too long to send`
    : (blocked ?? (note ? 'Only agents see notes. Enter to add, Shift+Enter for a new line' : (replyHint ?? 'Enter to send, Shift+Enter for a new line, / for quick replies')));

  return (
    <form
      class={`composer${note ? ' note-mode' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <div class="composer-modes" role="tablist" aria-label="Write">
        {(['reply', 'note'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            class="mode-tab"
            id={`composer-mode-${m}`}
            aria-selected={mode.value === m}
            onClick={() => {
              if (mode.value === 'reply' && m === 'note') onTyping?.(false);
              mode.value = m;
              document.getElementById('composer-text')?.focus();
            }}
          >
            {m === 'reply' ? 'Reply' : 'Note'}
          </button>
        ))}
      </div>
      {!note && picker.popup}
      <textarea
        {...(note ? {} : picker.inputProps)}
        id="composer-text"
        aria-label={note ? 'Note' : 'Reply'}
        aria-describedby={offer ? 'composer-hint schedule-notice-text' : 'composer-hint'}
        placeholder={blocked ?? (note ? 'Write a private note for your team…' : 'Write a reply…')}
        rows={3}
        disabled={!!blocked}
        value={text.value}
        onInput={(e) => {
          text.value = e.currentTarget.value;
          if (!note) {
            picker.onInput();
            onTyping?.(text.value.trim() !== '');
          }
        }}
        onBlur={() => onTyping?.(false)}
        onKeyDown={onKeyDown}
      />
      {offer && <ScheduleNotice offer={offer} />}
      <div class="composer-bar">
        <p id="composer-hint" class={`hint${tooLong ? ' error' : ''}`}>
          {hint}
        </p>
        <p class="visually-hidden" role="status">
          {note ? '' : picker.status}
        </p>
        {conversationId && !note && <AttachButton conversationId={conversationId} disabled={!!blocked} />}
        <div class="composer-send">
          {offer && <SendAtButton offer={offer} disabled={!canSend} onClick={() => void scheduleLater()} />}
          <button type="submit" class="button primary" disabled={!canSend}>
            {note ? 'Add note' : offer ? 'Send now' : 'Send'}
          </button>
        </div>
      </div>
    </form>
  );
}
