import { Component, createRef } from 'preact';
import type { WidgetModel } from '../../models/widget-model';
import { Chat } from '../chat/Chat';
import { Survey } from '../survey/Survey';
import { HeaderMenu } from './HeaderMenu';
import { backAt, initials } from '../../format';

export const PANEL_ID = 'parley-panel';

/**
 * The chat window: a labelled dialog with a header, showing the survey or the chat. Escape closes it.
 * It is also the app's error boundary: once anything below it throws, it renders nothing and logs
 * that once, as a widget bug must not break the host page.
 */
export class Panel extends Component<{ model: WidgetModel }, { failed?: boolean }> {
  private panel = createRef<HTMLDivElement>();
  /** The view that last got the focus; '' while the panel is closed. */
  private focused = '';

  override componentDidCatch(error: unknown): void {
    if (!this.state.failed) console.error('[parley] widget crashed', error);
    this.setState({ failed: true });
  }

  override componentDidMount(): void {
    this.focusView();
  }

  override componentDidUpdate(): void {
    this.focusView();
  }

  // opening (or moving on from survey to chat, chat to rating, rating to its end) puts the caret where the visitor acts next
  private focusView(): void {
    const { model } = this.props;
    const shown = model.isOpen.value ? model.view.value : '';
    const el = this.panel.current;
    if (shown === this.focused || !el) return;
    this.focused = shown;
    if (!shown) return;
    // the first control of the view: a field, the message box, a star, or "Start a new chat"
    (el.querySelector<HTMLElement>('.body :is(input,select,textarea,button)') ?? el.querySelector<HTMLElement>('.x'))?.focus();
    // the rating (or the end) sits below the last messages, which no longer scroll on their own: show both
    if (shown == 'rate' || shown == 'ended') el.querySelector('.body')!.scrollTop = 1e9;
  }

  override render({ model }: { model: WidgetModel }, { failed }: { failed?: boolean }) {
    if (failed) return null;
    const config = model.config.value;
    const open = model.isOpen.value;
    const view = model.view.value;
    const a = config?.availability;
    // without a config there is no language to speak: these few words are the only ones the widget carries
    const ui = config?.ui;
    // once a person answers, the header names them rather than the team's hours
    const agent = model.agent.value;
    const title = (!agent && a && !a.open && config.texts.offlineTitle) || config?.texts.title || 'Chat';
    return (
      <div
        id={PANEL_ID}
        class="panel"
        ref={this.panel}
        role="dialog"
        aria-label={title}
        dir={config?.direction}
        lang={config?.language}
        hidden={!open}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            model.close();
          }
        }}
      >
        <header>
          {agent && (
            <span class="av" aria-hidden="true">
              {initials(agent)}
            </span>
          )}
          <div class="hd">
            <h2>{agent || title}</h2>
            {agent ? (
              <p class="org">{title}</p>
            ) : (
              a &&
              ui && (
                <p class={a.open ? 'sub on' : 'sub'}>
                  {a.open
                    ? a.replyTime
                      ? ui.replies.replace('{time}', () => a.replyTime!)
                      : ui.online
                    : a.nextOpen
                      ? backAt(new Date(a.nextOpen), config.language, ui)
                      : ui.away}
                </p>
              )
            )}
          </div>
          {config && (view === 'chat' || view === 'rate' || view === 'ended') && <HeaderMenu model={model} />}
          <button class="x" aria-label={ui?.closeChat ?? 'Close'} onClick={model.close}>
            <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
              <path stroke="currentColor" stroke-width="2.2" stroke-linecap="round" d="M6 6l12 12M18 6L6 18" />
            </svg>
          </button>
        </header>
        <div class="body">
          {view === 'survey' ? (
            <Survey model={model} />
          ) : view === 'loading' || view === 'unavailable' ? (
            <p class="note" role="status">
              {ui ? ui[view] : view === 'loading' ? 'Loading…' : 'The chat is not available right now.'}
            </p>
          ) : (
            <Chat model={model} />
          )}
        </div>
      </div>
    );
  }
}
