import type { JSX } from 'preact';
import type { ConversationSummary, Label } from '../../../../protocol/src/index';
import { previewAuthor } from '../../models/inbox';
import { inquiryTypeLabel } from '../../lib/labels';
import { fullTime, relativeTime } from '../../lib/time';
import { contactName, initials } from '../names';

/** Height of one row in pixels; console.css's `.conversation-item` agrees. */
export const ROW_HEIGHT = 84;

interface Props {
  c: ConversationSummary;
  me: string | null;
  selected: boolean;
  unread: boolean;
  at: number;
  teamName(id: string): string | null;
  labels: readonly Label[];
  onOpen(id: string): void;
}

/** One conversation in the list: who, when, the last message with its author, and chips that say what they are. */
export function ConversationRow({ c, me, selected, unread, at, teamName, labels, onOpen }: Props): JSX.Element {
  const name = contactName(c.contact);
  const author = previewAuthor(c.lastMessage, me);
  const teamId = c.routing?.teamId ?? null;
  const team = teamId ? teamName(teamId) ?? teamId : null;
  const inquiry = c.inquiryType ? inquiryTypeLabel(c.siteId, c.inquiryType) : null;
  const priority = c.routing && c.routing.priority >= 2 ? (c.routing.priority === 3 ? 'Urgent' : 'High') : null;
  const pending = c.status === 'open' && c.awaiting === 'visitor';
  return (
    <button
      type="button"
      class={`conversation-item${selected ? ' selected' : ''}${unread ? ' unread' : ''}`}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onOpen(c.id)}
    >
      <span class="avatar" aria-hidden="true">
        {initials(name)}
      </span>
      <span class="item-body">
        <span class="item-row">
          <bdi class="item-name">{name}</bdi>
          <time class="item-time" dateTime={c.updatedAt} title={fullTime(c.updatedAt)}>
            {relativeTime(c.updatedAt, at)}
          </time>
        </span>
        <span class="item-row">
          <span class="item-preview">
            {c.lastMessage ? (
              <>
                {author && <span class="item-author">{author}</span>}
                <bdi>{c.lastMessage.text}</bdi>
              </>
            ) : (
              'No messages yet'
            )}
          </span>
          {unread && (
            <span class="unread-dot">
              <span class="visually-hidden">, unread</span>
            </span>
          )}
        </span>
        <span class="item-tags">
          {priority && <span class={`tag urgent`}>{priority}</span>}
          {team && (
            <span class="tag muted" title={`Team: ${team}`}>
              <span class="tag-key">Team</span> {team}
            </span>
          )}
          {inquiry && (
            <span class="tag" title={`Inquiry type: ${inquiry}`}>
              <span class="tag-key">Type</span> {inquiry}
            </span>
          )}
          {(c.labels ?? []).slice(0, 2).map((l) => (
            <span key={l} class="tag label-tag" title={`Label: ${l}`}>
              <span class="label-dot" aria-hidden="true" style={{ background: labels.find((x) => x.name === l)?.color ?? '#6b7280' }} />
              {l}
            </span>
          ))}
          {pending && <span class="tag muted">Pending</span>}
          {c.status === 'closed' && <span class="tag muted">Closed</span>}
        </span>
      </span>
    </button>
  );
}
