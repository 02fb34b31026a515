import { useLayoutEffect, useRef } from 'preact/hooks';
import { Fragment, type JSX } from 'preact';
import type { Message, Note, TimelineEvent, TypingEvent } from '../../../protocol/src/index';
import type { PendingMessage } from '../models/conversation';
import { clockTime, fullTime } from '../lib/time';
import { eventText } from './conversation/timeline-text';
import { Isolated } from './Isolated';
import { LinkedText } from './LinkedText';
import { AttachmentView } from './attachments/AttachmentView';
import { fallbackAuthor, initials } from './names';

/** Props of {@link MessageList}. */
export interface MessageListProps {
  messages: Message[];
  pending: PendingMessage[];
  notes: Note[];
  events: TimelineEvent[];
  typing: TypingEvent[];
  agentName: string;
  /** Highest seq the visitor has seen: the last agent message at or below it reads "Seen". */
  visitorReadSeq: number;
  /** False while the socket is down: replies wait instead of sending. */
  online: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  onRetry(clientId: string): void;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const dayOf = (iso: string): string => dayFormat.format(new Date(iso));

type Item = { at: string; key: string } & ({ kind: 'message'; message: Message } | { kind: 'note'; note: Note } | { kind: 'event'; event: TimelineEvent });

/**
 * Messages, notes and timeline events in one time line. Notes and events
 * older than the first message held wait until that page is loaded.
 */
export function timelineItems(messages: readonly Message[], notes: readonly Note[], events: readonly TimelineEvent[], complete: boolean): Item[] {
  const from = complete ? '' : (messages[0]?.createdAt ?? '');
  const items: Item[] = messages.map((m) => ({ kind: 'message', message: m, at: m.createdAt, key: m.id }));
  for (const n of notes) if (n.createdAt >= from) items.push({ kind: 'note', note: n, at: n.createdAt, key: `n:${n.id}` });
  for (const e of events) if (e.createdAt >= from) items.push({ kind: 'event', event: e, at: e.createdAt, key: `e:${e.id}` });
  // stable: at the same instant a message stays before the note or event written with it
  return items.map((item, i) => ({ item, i })).sort((a, b) => (a.item.at < b.item.at ? -1 : a.item.at > b.item.at ? 1 : a.i - b.i)).map((x) => x.item);
}

/** The conversation log: visitor on the left, agents and bots on the right, notes and events between, replies in flight last. */
export function MessageList(props: MessageListProps): JSX.Element {
  const { messages, pending, notes, events, typing, agentName, online, onRetry } = props;
  const ref = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const firstSeq = useRef<number | null>(null);
  const heightBefore = useRef(0);

  // stay at the bottom while the agent has not scrolled up to read; keep the place when older pages arrive
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const first = messages[0]?.seq ?? null;
    if (firstSeq.current !== null && first !== null && first < firstSeq.current && !pinned.current) {
      el.scrollTop += el.scrollHeight - heightBefore.current;
    } else if (pinned.current) {
      el.scrollTop = el.scrollHeight;
    }
    firstSeq.current = first;
    heightBefore.current = el.scrollHeight;
  }, [messages, pending, notes, events]);

  const onScroll = (): void => {
    const el = ref.current;
    if (!el) return;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    heightBefore.current = el.scrollHeight;
    if (el.scrollTop < 120 && props.hasOlder && !props.loadingOlder) props.onLoadOlder();
  };

  const lastSeen = [...messages].reverse().find((m) => m.authorType === 'agent' && m.seq <= props.visitorReadSeq);
  const items = timelineItems(messages, notes, events, !props.hasOlder);
  let lastDay = '';
  return (
    <>
      <div class="log" role="log" aria-label="Messages" tabIndex={0} ref={ref} onScroll={onScroll}>
        {props.hasOlder && (
          <p class="log-older">
            <button type="button" class="link-button" onClick={props.onLoadOlder} disabled={props.loadingOlder}>
              {props.loadingOlder ? 'Loading earlier messages…' : 'Load earlier messages'}
            </button>
          </p>
        )}
        {items.length === 0 && pending.length === 0 && <p class="log-empty">No messages yet.</p>}
        {items.map((item) => {
          const day = dayOf(item.at);
          const divider = day !== lastDay;
          lastDay = day;
          return (
            <Fragment key={item.key}>
              {divider && (
                <p class="day">
                  <span>{day}</span>
                </p>
              )}
              {item.kind === 'message' && <MessageBubble message={item.message} seen={item.message.id === lastSeen?.id} />}
              {item.kind === 'note' && (
                <Bubble side="out" kind="note" author={item.note.authorName} time={item.note.createdAt} text={item.note.text} marker="Private note" />
              )}
              {item.kind === 'event' && (
                <p class="system-line event">
                  {eventText(item.event)} · <time dateTime={item.event.createdAt}>{clockTime(item.event.createdAt)}</time>
                </p>
              )}
            </Fragment>
          );
        })}
        {pending.map((p) => (
          <Bubble
            key={p.clientId}
            side="out"
            kind={p.kind === 'note' ? 'note' : 'agent'}
            author={agentName}
            time={p.createdAt}
            text={p.text}
            {...(p.kind === 'note' ? { marker: 'Private note' } : {})}
            pending={p}
            online={online}
            onRetry={onRetry}
          />
        ))}
      </div>
      <p class="typing-line" role="status" aria-live="polite">
        {typing.map((t) => (
          <span key={t.who + (t.agentId ?? '')} class="typing-who">
            <Isolated text={t.name ?? (t.who === 'visitor' ? 'The visitor' : 'An agent')} /> is typing…
            {t.preview && (
              <span class="typing-preview">
                {' '}
                “<Isolated text={t.preview.slice(-200)} />”
              </span>
            )}
          </span>
        ))}
      </p>
    </>
  );
}

function MessageBubble({ message: m, seen }: { message: Message; seen: boolean }): JSX.Element {
  if (m.authorType === 'system') {
    return (
      <p class="system-line">
        <LinkedText text={m.text} /> · <time dateTime={m.createdAt}>{clockTime(m.createdAt)}</time>
      </p>
    );
  }
  return (
    <Bubble
      side={m.authorType === 'visitor' ? 'in' : 'out'}
      kind={m.authorType}
      author={m.authorName || fallbackAuthor(m.authorType)}
      time={m.createdAt}
      text={m.text}
      attachment={m.attachment}
      {...(m.authorType === 'bot' ? { marker: 'Automated' } : {})}
      seen={seen}
    />
  );
}

interface BubbleProps {
  side: 'in' | 'out';
  kind: string;
  author: string;
  time: string;
  text: string;
  attachment?: Message['attachment'];
  /** A word before the time: "Private note", "Automated". */
  marker?: string;
  seen?: boolean;
  pending?: PendingMessage;
  online?: boolean;
  onRetry?(clientId: string): void;
}

function Bubble({ side, kind, author, time, text, attachment, marker, seen, pending, online, onRetry }: BubbleProps): JSX.Element {
  const state = pending ? (pending.status === 'failed' ? ' failed' : ' sending') : '';
  return (
    <article class={`msg ${side} ${kind}${state}`}>
      <p class="msg-meta">
        {kind === 'agent' && (
          <span class="avatar tiny" aria-hidden="true">
            {initials(author)}
          </span>
        )}
        <span class="msg-author">{side === 'in' ? <Isolated text={author} /> : author}</span>
        {marker && <span class="msg-marker">{marker}</span>}
        <time dateTime={time} title={fullTime(time)}>
          {clockTime(time)}
        </time>
      </p>
      <div class="bubble">
        {attachment ? <AttachmentView attachment={attachment} /> : <LinkedText text={text} />}
      </div>
      {seen && <p class="msg-status seen">Seen</p>}
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
