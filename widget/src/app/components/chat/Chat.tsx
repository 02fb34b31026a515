import type { WidgetModel } from '../../models/widget-model';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { Lazy, lazy } from '../Lazy';

const rating = lazy(() => import('./Rating').then((m) => m.Rating));

/** The live chat: connection status, the messages, and the composer; once closed, the rating and then a way to start over. */
export function Chat({ model }: { model: WidgetModel }) {
  const { ui, texts, language } = model.config.value!;
  const view = model.view.value;
  // fetched while the chat goes on, so the rating shows (and takes the focus) the moment the chat is closed
  if (view === 'chat') rating().catch(() => {});
  return (
    <>
      {model.connection.value !== 'online' && (
        <p class="status" role="status">
          {model.everOnline.value ? ui.reconnecting : ui.connecting}
        </p>
      )}
      {!!model.queue.value && (
        <p class="status" role="status">
          {ui.queue.replace('{n}', String(model.queue.value))}
        </p>
      )}
      {model.slowed.value && (
        <p class="status" role="status">
          {ui.tooFast}
        </p>
      )}
      <MessageList messages={model.messages.value} open={model.isOpen.value} ui={ui} lang={language} auth={model.auth} seenKey={model.seenKey.value} />
      {/* always in the page, so that only a change of who is typing is announced */}
      {/* the name between FSI and PDI: a name written right to left (or with an override) cannot reorder the sentence */}
      <p class={model.agentTyping.value !== null ? 'status' : undefined} aria-live="polite">
        {model.agentTyping.value !== null && ui.typing.replace('{name}', `\u2068${model.agentTyping.value || ui.someone}\u2069`)}
      </p>
      {view === 'rate' ? (
        <Lazy load={rating} props={{ model }} />
      ) : view === 'ended' ? (
        <div class="ended">
          {model.rating.value && <p role="status">{ui.rateThanks}</p>}
          <p>{ui.ended}</p>
          <button class="primary" onClick={model.startOver}>
            {ui.startNew}
          </button>
        </div>
      ) : (
        <Composer ui={ui} lang={language} placeholder={texts.placeholder} onSend={model.sendMessage} onType={model.typed} auth={model.auth} />
      )}
    </>
  );
}
