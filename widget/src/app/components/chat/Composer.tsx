import { Component } from 'preact';
// runtime values come from their own modules: the protocol index would bring the server's schemas
import { Limits } from '../../../../../protocol/src/limits';
import type { WidgetTexts } from '../../../../../protocol/src/survey';
import { AttachButton } from '../../attachments/lazy';
import type { FilesAuth } from '../../attachments/attachments';

const MAX = Limits.messageText;

interface Props {
  ui: WidgetTexts;
  /** The widget's language, for the counter's numbers. */
  lang: string;
  placeholder: string;
  onSend: (text: string) => void;
  onType: (text: string) => void;
  auth: FilesAuth;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line. The draft lives in the textarea itself.
 * Nothing is cut: from 90% of the length limit a counter shows, past it a message says so and sending
 * is refused until the draft is shortened.
 */
export class Composer extends Component<Props, { n: number }> {
  // the draft's length once near the limit, else 0: only then does typing re-render the box
  override state = { n: 0 };

  private count(box: HTMLTextAreaElement): void {
    const n = box.value.length < MAX * 0.9 ? 0 : box.value.length;
    if (n !== this.state.n) this.setState({ n });
  }

  /** Sends the box's text and empties it; blank text is not sent, nor text over the limit. */
  private send(form: HTMLFormElement): void {
    const box = form.elements.namedItem('text') as HTMLTextAreaElement;
    if (!box.value.trim() || box.value.length > MAX) return;
    this.props.onSend(box.value);
    box.value = '';
    this.count(box);
  }

  override render({ ui, lang, placeholder, onType, auth }: Props, { n }: { n: number }) {
    const over = n > MAX;
    const max = MAX.toLocaleString(lang);
    return (
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          this.send(e.currentTarget);
        }}
      >
        <textarea
          name="text"
          aria-label={ui.message}
          aria-invalid={over}
          aria-describedby={n ? 'parley-count' : undefined}
          placeholder={placeholder}
          rows={1}
          onInput={(e) => {
            this.count(e.currentTarget);
            onType(e.currentTarget.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              this.send(e.currentTarget.form!);
            }
          }}
        />
        <AttachButton label={ui.attach} auth={auth} />
        <button class="send" aria-label={ui.send}>
          <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
            <path fill="currentColor" d="M3 20.5v-7l9-1.5-9-1.5v-7L22 12z" />
          </svg>
        </button>
        {!!n && (
          <p id="parley-count" class={over ? 'count error' : 'count'}>
            {over && <span role="alert">{ui.tooLong.replace('{max}', max)} </span>}
            {n.toLocaleString(lang)} / {max}
          </p>
        )}
      </form>
    );
  }
}
