import { Component, createRef } from 'preact';
import type { WidgetTexts } from '../../../../../protocol/src/survey';
import type { ChatMessage } from '../../models/messages';
import { linkify } from './linkify';
import { dayLabel, timeOf } from '../../format';
import { LazyAttachment } from '../../attachments/lazy';
import type { FilesAuth } from '../../attachments/attachments';

interface Props {
  messages: ChatMessage[];
  open: boolean;
  ui: WidgetTexts;
  /** The widget's language, for dates and times. */
  lang: string;
  auth: FilesAuth;
  /** Key of the visitor's last message agents have read. */
  seenKey?: string;
}

/**
 * The conversation as a live log: the visitor's own messages on one side, agents' and bots' on the other,
 * each with its time, and a separator where a day begins ("Today", "Yesterday", a date).
 * A class, as the widget's views are: lifecycle methods instead of preact/hooks keep the bundle lighter.
 */
export class MessageList extends Component<Props> {
  private log = createRef<HTMLDivElement>();

  override componentDidMount(): void {
    this.scrollToEnd();
  }

  // keep the newest in view; a hidden panel has no height, so scroll again when it opens
  override componentDidUpdate(prev: Props): void {
    if (prev.messages !== this.props.messages || prev.open !== this.props.open) this.scrollToEnd();
  }

  private scrollToEnd(): void {
    const el = this.log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }

  override render({ messages, ui, lang, auth, seenKey }: Props) {
    let day = '';
    const now = new Date();
    return (
      // focusable, so that the keyboard can scroll it (it holds no control of its own)
      <div class="log" ref={this.log} role="log" tabIndex={0}>
        {messages.flatMap((m) => {
          const side = m.authorType === 'visitor' ? 'mine' : m.authorType === 'system' ? 'system' : 'theirs';
          const at = new Date(m.createdAt);
          const first = day !== (day = at.toDateString());
          return [
            first && (
              <p key={day} class="day">
                {dayLabel(at, lang, ui, now)}
              </p>
            ),
            <div key={m.key} class={`msg ${side} ${m.state}`}>
              {side === 'theirs' && m.authorName && (
                <span class="author">
                  {m.authorName}
                  {m.authorType === 'bot' && ` · ${ui.automated}`}
                </span>
              )}
              {/* each message reads in its own direction, whatever the panel's */}
              <p class="bubble" dir="auto">
                {m.attachment ? <LazyAttachment a={m.attachment} auth={auth} /> : linkify(m.text)}
              </p>
              {m.state !== 'sent' ? (
                <span class="meta">{m.state === 'pending' ? ui.sending : m.error || ui.notSent}</span>
              ) : (
                <span class="meta">
                  <time dateTime={m.createdAt}>{timeOf(at, lang)}</time>
                  {m.key === seenKey && ` · ${ui.seen}`}
                </span>
              )}
            </div>,
          ];
        })}
      </div>
    );
  }
}
