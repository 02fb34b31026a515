import type { JSX } from 'preact';
import type { ConsoleModel } from '../models/console';
import { isUnread } from '../models/inbox';
import { now } from '../lib/time';
import { ConversationRow, ROW_HEIGHT } from './inbox/ConversationRow';
import { InboxFilters } from './inbox/InboxFilters';
import { SearchBox } from './inbox/SearchBox';
import { VirtualList } from './inbox/VirtualList';

function emptyText(model: ConsoleModel): string {
  const filter = model.inbox.filter.value;
  if (model.inbox.label.value || model.inbox.teamId.value) return 'No conversations match these filters.';
  if (model.inbox.view.value === 'mine' && filter !== 'closed') return 'Nothing assigned to you right now.';
  if (filter === 'closed') return 'No closed conversations.';
  if (filter === 'pending') return 'No conversations waiting on a visitor.';
  if (filter === 'open') return 'No open conversations. New chats appear here.';
  return 'No conversations yet.';
}

/** The left column: search, views and filters, and the live list of conversations (only the rows on screen render). */
export function ConversationList({ model }: { model: ConsoleModel }): JSX.Element {
  const { inbox, search } = model;
  const searching = search.active.value;
  const list = model.visibleList.value;
  const openId = model.conversation.openId.value;
  const me = model.session.agent.value?.id ?? null;
  const at = now.value;
  const labels = inbox.labels.value;
  const error = searching ? search.error.value : inbox.error.value;
  const loading = searching ? search.loading.value : inbox.loading.value;

  return (
    <nav class="inbox" aria-label="Inbox">
      <div class="inbox-head">
        <h2>Conversations</h2>
        <SearchBox search={search} />
        {!searching && <InboxFilters model={model} />}
      </div>
      {error && (
        <p class="list-note error" role="alert">
          {error}
        </p>
      )}
      {searching && !error && (
        <p class="list-note" role="status">
          {loading ? 'Searching…' : list.length === 0 ? `Nothing found for “${search.text.value.trim()}”.` : `${list.length} ${list.length === 1 ? 'conversation' : 'conversations'} found`}
        </p>
      )}
      {!searching && loading && list.length === 0 && !error && <p class="list-note">Loading conversations…</p>}
      {!searching && !loading && list.length === 0 && !error && <p class="list-note">{emptyText(model)}</p>}
      <VirtualList
        items={list}
        rowHeight={ROW_HEIGHT}
        label={searching ? 'Search results' : 'Conversations'}
        class="conversation-list"
        getKey={(c) => c.id}
        activeIndex={list.findIndex((c) => c.id === openId)}
        onNearEnd={searching ? undefined : () => model.loadMore()}
        renderRow={(c) => (
          <ConversationRow
            c={c}
            me={me}
            selected={c.id === openId}
            unread={c.id !== openId && isUnread(c, inbox.readSeq(c.id))}
            at={at}
            teamName={(id) => model.routing.teamName(id)}
            labels={labels}
            onOpen={(id) => model.selectConversation(id)}
          />
        )}
      />
      {!searching && inbox.loadingMore.value && <p class="list-note">Loading more…</p>}
    </nav>
  );
}
