import type { WidgetModel } from '../../models/widget-model';
import { Composer } from './Composer';
import { MessageList } from './MessageList';

/** The live chat: connection status, the messages, and the composer (or a way to start over once it ended). */
export function Chat({ model }: { model: WidgetModel }) {
  const online = model.connection.value === 'online';
  return (
    <>
      {!online && (
        <p class="status" role="status">
          {model.everOnline.value ? 'Reconnecting…' : 'Connecting…'}
        </p>
      )}
      {!!model.queue.value && (
        <p class="status" role="status">
          You’re number {model.queue.value} in line
        </p>
      )}
      <MessageList messages={model.messages.value} open={model.isOpen.value} />
      {model.closedConversation.value ? (
        <div class="ended">
          <p>This conversation has ended.</p>
          <button type="button" class="primary" onClick={model.startOver}>
            Start a new chat
          </button>
        </div>
      ) : (
        <Composer placeholder={model.config.value?.texts.placeholder ?? ''} onSend={model.sendMessage} />
      )}
    </>
  );
}
