import type { JSX } from 'preact';
import type { ConsoleModel } from '../models/console';
import type { InboxFilter } from '../models/inbox';
import { now, relativeTime, fullTime } from '../lib/time';
import { contactName, humanize, initials } from './names';
import { ViewTabs } from './routing/ViewTabs';

const FILTERS: { value: InboxFilter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];

/** The left column: filter tabs and the live list of conversations. */
export function ConversationList({ model }: { model: ConsoleModel }): JSX.Element {
  const { inbox } = model;
  const filter = inbox.filter.value;
  const list = inbox.conversations.value;
  const unread = inbox.unread.value;
  const openId = model.conversation.openId.value;
  const at = now.value;

  return (
    <nav class="inbox" aria-label="Inbox">
      <div class="inbox-head">
        <h2>Conversations</h2>
        <ViewTabs model={model} />
        <div class="tabs" role="group" aria-label="Filter conversations">
          {FILTERS.map((f) => (
            <button key={f.value} type="button" class="tab" aria-pressed={filter === f.value} onClick={() => model.setFilter(f.value)}>
              {f.label}
            </button>
          ))}
        </div>
      </div>
      {inbox.error.value && (
        <p class="list-note error" role="alert">
          {inbox.error.value}
        </p>
      )}
      {inbox.loading.value && list.length === 0 && !inbox.error.value && <p class="list-note">Loading conversations…</p>}
      {!inbox.loading.value && list.length === 0 && !inbox.error.value && (
        <p class="list-note">{inbox.view.value === 'mine' && filter !== 'closed' ? 'Nothing assigned to you right now.' : filter === 'closed' ? 'No closed conversations.' : filter === 'open' ? 'No open conversations. New chats appear here.' : 'No conversations yet.'}</p>
      )}
      <ul class="conversation-list" aria-label="Conversations">
        {list.map((c) => {
          const name = contactName(c.contact);
          const isUnread = unread.has(c.id) && c.id !== openId;
          const preview = c.lastMessage ? (c.lastMessage.authorType === 'visitor' ? '' : 'You: ') + c.lastMessage.text : 'No messages yet';
          return (
            <li key={c.id}>
              <button
                type="button"
                class={`conversation-item${c.id === openId ? ' selected' : ''}${isUnread ? ' unread' : ''}`}
                aria-current={c.id === openId ? 'true' : undefined}
                onClick={() => model.selectConversation(c.id)}
              >
                <span class="avatar" aria-hidden="true">
                  {initials(name)}
                </span>
                <span class="item-body">
                  <span class="item-row">
                    <span class="item-name">{name}</span>
                    <time class="item-time" dateTime={c.updatedAt} title={fullTime(c.updatedAt)}>
                      {relativeTime(c.updatedAt, at)}
                    </time>
                  </span>
                  {c.contact.email && c.contact.email !== name && <span class="item-email">{c.contact.email}</span>}
                  <span class="item-row">
                    <span class="item-preview">{preview}</span>
                    {isUnread && (
                      <span class="unread-dot">
                        <span class="visually-hidden">, new messages</span>
                      </span>
                    )}
                  </span>
                  {(c.inquiryType || c.status === 'closed' || c.routing?.teamId) && (
                    <span class="item-tags">
                      {c.routing && c.routing.priority >= 2 && <span class="tag urgent">{c.routing.priority === 3 ? 'Urgent' : 'High'}</span>}
                      {c.routing?.teamId && <span class="tag muted">{model.routing.teamName(c.routing.teamId)}</span>}
                      {c.inquiryType && <span class="tag">{humanize(c.inquiryType)}</span>}
                      {c.status === 'closed' && <span class="tag muted">Closed</span>}
                    </span>
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
