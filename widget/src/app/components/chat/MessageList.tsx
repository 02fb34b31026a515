import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatMessage } from '../../models/messages';
import { linkify } from './linkify';

/** The conversation as a live log: the visitor's own messages on one side, agents' and bots' on the other. */
export function MessageList({ messages, open }: { messages: ChatMessage[]; open: boolean }) {
  const log = useRef<HTMLDivElement>(null);

  // keep the newest in view; a hidden panel has no height, so scroll again when it opens
  useLayoutEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages, open]);

  return (
    <div class="log" ref={log} role="log" aria-live="polite">
      {messages.map((m) => {
        const side = m.authorType === 'visitor' ? 'mine' : m.authorType === 'system' ? 'system' : 'theirs';
        return (
          <div key={m.key} class={`msg ${side} ${m.state}`}>
            {side === 'theirs' && m.authorName && <span class="author">{m.authorName}</span>}
            <p class="bubble">{linkify(m.text)}</p>
            {m.state === 'pending' && <span class="meta">Sending…</span>}
            {m.state === 'failed' && <span class="meta">{m.error || 'Not sent'}</span>}
          </div>
        );
      })}
    </div>
  );
}
