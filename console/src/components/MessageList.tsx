import { useLayoutEffect, useRef } from 'preact/hooks';
import { Fragment, type JSX } from 'preact';
import type { Message } from '../../../protocol/src/index';
import type { PendingMessage } from '../models/conversation';
import { clockTime, fullTime } from '../lib/time';
import { LinkedText } from './LinkedText';
import { fallbackAuthor } from './names';

/** Props of {@link MessageList}. */
export interface MessageListProps {
  messages: Message[];
  pending: PendingMessage[];
  agentName: string;
  /** False while the socket is down: replies wait instead of sending. */
  online: boolean;
  onRetry(clientId: string): void;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const dayOf = (iso: string): string => dayFormat.format(new Date(iso));

/** The message log: visitor on the left, agents and bots on the right, replies in flight last. */
export function MessageList({ messages, pending, agentName, online, onRetry }: MessageListProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  // stay at the bottom while the agent has not scrolled up to read
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [messages, pending]);

  const onScroll = (): void => {
    const el = ref.current;
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };

  let lastDay = '';
  return (
    <div class="log" role="log" aria-label="Messages" aria-live="polite" tabIndex={0} ref={ref} onScroll={onScroll}>
      {messages.length === 0 && pending.length === 0 && <p class="log-empty">No messages yet.</p>}
      {messages.map((m) => {
        const day = dayOf(m.createdAt);
        const divider = day !== lastDay;
        lastDay = day;
        return (
          <Fragment key={m.id}>
            {divider && (
              <p class="day">
                <span>{day}</span>
              </p>
            )}
            <Bubble side={m.authorType === 'visitor' ? 'in' : m.authorType === 'system' ? 'system' : 'out'} kind={m.authorType} author={m.authorName || fallbackAuthor(m.authorType)} time={m.createdAt} text={m.text} />
          </Fragment>
        );
      })}
      {pending.map((p) => (
        <Bubble key={p.clientId} side="out" kind="agent" author={agentName} time={p.createdAt} text={p.text} pending={p} online={online} onRetry={onRetry} />
      ))}
    </div>
  );
}

interface BubbleProps {
  side: 'in' | 'out' | 'system';
  kind: string;
  author: string;
  time: string;
  text: string;
  pending?: PendingMessage;
  online?: boolean;
  onRetry?(clientId: string): void;
}

function Bubble({ side, kind, author, time, text, pending, online, onRetry }: BubbleProps): JSX.Element {
  if (side === 'system') {
    return (
      <p class="system-line">
        <LinkedText text={text} /> · <time dateTime={time}>{clockTime(time)}</time>
      </p>
    );
  }
  const state = pending ? (pending.status === 'failed' ? ' failed' : ' sending') : '';
  return (
    <article class={`msg ${side} ${kind}${state}`}>
      <p class="msg-meta">
        <span class="msg-author">{author}</span>
        <time dateTime={time} title={fullTime(time)}>
          {clockTime(time)}
        </time>
      </p>
      <div class="bubble">
        <LinkedText text={text} />
      </div>
      {pending?.status === 'sending' && <p class="msg-status">{online ? 'Sending…' : 'Waiting for connection…'}</p>}
      {pending?.status === 'failed' && (
        <p class="msg-status error">
          <span>{pending.error}</span>{' '}
          <button type="button" class="link-button" onClick={() => onRetry?.(pending.clientId)}>
            Retry
          </button>
        </p>
      )}
    </article>
  );
}
