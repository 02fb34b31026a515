import { Component, createRef } from 'preact';
import type { WidgetModel } from '../../models/widget-model';
import { Chat } from '../chat/Chat';
import { Survey } from '../survey/Survey';

export const PANEL_ID = 'parley-panel';

/** The chat window: a labelled dialog with a header, showing the survey or the chat. Escape closes it. */
export class Panel extends Component<{ model: WidgetModel }> {
  private panel = createRef<HTMLDivElement>();
  /** The view that last got the focus; '' while the panel is closed. */
  private focused = '';

  override componentDidMount(): void {
    this.focusView();
  }

  override componentDidUpdate(): void {
    this.focusView();
  }

  // opening (or switching from survey to chat) puts the caret where the visitor types next
  private focusView(): void {
    const { model } = this.props;
    const shown = model.isOpen.value ? model.view.value : '';
    const el = this.panel.current;
    if (shown === this.focused || !el) return;
    this.focused = shown;
    if (!shown) return;
    const target =
      el.querySelector<HTMLElement>('.body input:not([type=hidden]), .body select, .body textarea') ??
      el.querySelector<HTMLElement>('.body button') ??
      el.querySelector<HTMLElement>('.x');
    target?.focus();
  }

  override render({ model }: { model: WidgetModel }) {
    const config = model.config.value;
    const open = model.isOpen.value;
    const view = model.view.value;
    const title = config?.texts.title || 'Chat';
    const a = config?.availability;
    const back = a?.nextOpen && new Date(a.nextOpen).toLocaleString(config!.language, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
    return (
      <div
        id={PANEL_ID}
        class="panel"
        ref={this.panel}
        role="dialog"
        aria-label={title}
        dir={config?.direction}
        hidden={!open}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            model.close();
          }
        }}
      >
        <header>
          <div class="hd">
            <h2>{title}</h2>
            {a && (
              <p class={a.open ? 'sub on' : 'sub'}>
                {a.open ? (a.replyTime ? `Typically replies ${a.replyTime}` : 'Online') : back ? `Away until ${back}` : 'Away'}
              </p>
            )}
          </div>
          <button type="button" class="x" aria-label="Close chat" onClick={model.close}>
            <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path stroke="currentColor" stroke-width="2.2" stroke-linecap="round" d="M6 6l12 12M18 6L6 18" />
            </svg>
          </button>
        </header>
        <div class="body">
          {view === 'survey' ? (
            <Survey model={model} />
          ) : view === 'chat' ? (
            <Chat model={model} />
          ) : (
            <p class="note">{view === 'loading' ? 'Loading…' : 'The chat is not available right now.'}</p>
          )}
        </div>
      </div>
    );
  }
}
