import type { JSX } from 'preact';
import type { ConsoleModel } from '../models/console';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { inquiryTypeLabel } from '../lib/labels';
import { Isolated } from './Isolated';
import { LabelChips } from './labels/LabelChips';
import { contactName } from './names';
import { scoreText } from './RatingSection';
import { RoutingBar } from './routing/RoutingBar';
import { outsideNotice, replyRule, sendAtLabel } from '../models/follow-ups';
import { ScheduledList } from './follow-ups/ScheduledList';
import type { ScheduleOffer } from './follow-ups/ScheduleNotice';

/** The middle column: the open conversation, or an empty state. */
export function ConversationPane({ model }: { model: ConsoleModel }): JSX.Element {
  const { conversation, followUps } = model;
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
  const timing = followUps.timing.value;
  // the profile follows contact:updated live; the timing answer covers a profile that has not caught up
  const rule = replyRule({ status: detail.status, optedOut: detail.profile.followUpsOptedOut ?? timing?.optedOut ?? null, name });
  // a follow-up (the chat has closed) is what waits for the contact's morning; a live chat is answered now
  const offer: ScheduleOffer | null =
    closed && timing?.outside === true
      ? {
          notice: outsideNotice(timing, name),
          sendAtLabel: sendAtLabel(timing),
          busy: followUps.busy.value,
          error: followUps.error.value,
          onSchedule: (text) => (timing.suggestedAt ? followUps.schedule(text, timing.suggestedAt) : Promise.resolve(false)),
        }
      : null;
  return (
    <main class="pane" aria-label={`Conversation with ${name}`}>
      <header class="pane-head">
        <div>
          <h2>
            <Isolated text={name} />
          </h2>
          <p class="pane-sub">
            <span class={`status ${detail.status}`}>{closed ? 'Closed' : 'Open'}</span>
            {detail.inquiryType && <span title="Inquiry type"> · {inquiryTypeLabel(detail.siteId, detail.inquiryType)}</span>}
            {detail.rating && <span class="pane-rating"> · Rated {scoreText(detail.rating.score)}</span>}
            {detail.contact.email && <span> · {detail.contact.email}</span>}
          </p>
        </div>
        <LabelChips on="conversation" labels={detail.labels} catalogue={conversation.labelCatalogue.value} onEdit={(add, remove) => conversation.editLabels(add, remove)} />
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
        notes={conversation.notes.value}
        events={conversation.events.value}
        typing={conversation.typing.value}
        visitorReadSeq={detail.visitorReadSeq}
        agentName={model.session.agent.value?.name ?? 'You'}
        online={model.connected.value}
        hasOlder={conversation.hasOlder.value}
        loadingOlder={conversation.loadingOlder.value}
        onLoadOlder={() => void conversation.loadOlder()}
        onRetry={(id) => conversation.retry(id)}
      />
      <ScheduledList
        items={followUps.scheduled.value}
        contactZone={timing?.timeZone ?? detail.profile.timeZone}
        actions={{ onEdit: (id, changes) => followUps.edit(id, changes), onCancel: (id) => followUps.cancel(id) }}
      />
      <Composer
        disabledReason={rule.disabledReason}
        replyHint={rule.hint}
        schedule={offer}
        onSend={(text) => conversation.send(text)}
        onNote={(text) => conversation.sendNote(text)}
        onTyping={(typing) => conversation.setTyping(typing)}
        conversationId={detail.id}
      />
    </main>
  );
}
