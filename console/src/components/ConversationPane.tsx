import type { JSX } from 'preact';
import type { ConsoleModel } from '../models/console';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { contactName, humanize } from './names';
import { scoreText } from './RatingSection';
import { RoutingBar } from './routing/RoutingBar';

/** The middle column: the open conversation, or an empty state. */
export function ConversationPane({ model }: { model: ConsoleModel }): JSX.Element {
  const { conversation } = model;
  const detail = conversation.detail.value;
  const openId = conversation.openId.value;

  if (!openId) {
    return (
      <main class="pane empty-state" aria-label="Conversation">
        <div>
          <h2>No conversation selected</h2>
          <p>Pick a conversation from the list to read it and reply.</p>
        </div>
      </main>
    );
  }

  if (!detail) {
    return (
      <main class="pane empty-state" aria-label="Conversation">
        {conversation.error.value ? (
          <p role="alert" class="form-alert">
            {conversation.error.value}
          </p>
        ) : (
          <p role="status">Loading conversation…</p>
        )}
      </main>
    );
  }

  const name = contactName(detail.contact);
  const closed = detail.status === 'closed';
  return (
    <main class="pane" aria-label={`Conversation with ${name}`}>
      <header class="pane-head">
        <div>
          <h2>{name}</h2>
          <p class="pane-sub">
            <span class={`status ${detail.status}`}>{closed ? 'Closed' : 'Open'}</span>
            {detail.inquiryType && <span> · {humanize(detail.inquiryType)}</span>}
            {detail.rating && <span class="pane-rating"> · Rated {scoreText(detail.rating.score)}</span>}
            {detail.contact.email && <span> · {detail.contact.email}</span>}
          </p>
        </div>
      </header>
      <RoutingBar model={model} detail={detail} />
      {conversation.error.value && (
        <p role="alert" class="pane-alert">
          {conversation.error.value}
        </p>
      )}
      <MessageList
        messages={conversation.messages.value}
        pending={conversation.pending.value}
        agentName={model.session.agent.value?.name ?? 'You'}
        online={model.connected.value}
        onRetry={(id) => conversation.retry(id)}
      />
      <Composer disabledReason={closed ? 'This conversation is closed.' : null} onSend={(text) => conversation.send(text)} />
    </main>
  );
}
