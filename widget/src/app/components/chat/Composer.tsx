// runtime values come from their own modules: the protocol index would bring the server's schemas
import { Limits } from '../../../../../protocol/src/limits';
import type { WidgetTexts } from '../../../../../protocol/src/survey';
import { AttachButton } from '../../attachments/lazy';
import type { FilesAuth } from '../../attachments/attachments';

/** Sends the box's text and empties it; blank text is not sent. */
function send(form: HTMLFormElement, onSend: (text: string) => void): void {
  const box = form.elements.namedItem('text') as HTMLTextAreaElement;
  if (!box.value.trim()) return;
  onSend(box.value);
  box.value = '';
}

/** The message box: Enter sends, Shift+Enter starts a new line. The draft lives in the textarea itself. */
export function Composer({ ui, placeholder, onSend, onType, auth }: { ui: WidgetTexts; placeholder: string; onSend: (text: string) => void; onType: (text: string) => void; auth: FilesAuth }) {
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send(e.currentTarget, onSend);
      }}
    >
      <textarea
        name="text"
        aria-label={ui.message}
        placeholder={placeholder}
        rows={1}
        maxLength={Limits.messageText}
        onInput={(e) => onType(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send(e.currentTarget.form!, onSend);
          }
        }}
      />
      <AttachButton label={ui.attach} auth={auth} />
      <button class="send" aria-label={ui.send}>
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
          <path fill="currentColor" d="M3 20.5v-7l9-1.5-9-1.5v-7L22 12z" />
        </svg>
      </button>
    </form>
  );
}
