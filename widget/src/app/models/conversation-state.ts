import { batch, signal } from '@preact/signals-core';
import type { Message, VisitorConversation } from '../../../../protocol/src/index';

/**
 * What the visitor is told about who answers: the person answering (the assignee, else the
 * agent who wrote last), whether a person (not only the bot) has written, and the place in the
 * queue while waiting. Fed by the server's conversation views and by agents' messages as they arrive.
 */
export function createConversationState() {
  /** Name of the person answering; null before any. */
  const agent = signal<string | null>(null);
  const humanReplied = signal(false);
  /** Place in the team's queue while waiting for an agent; null once assigned. */
  const queue = signal<number | null>(null);
  // the last seq a full view accounts for: older messages (history on a join) change none of the above
  let viewSeq = 0;
  return {
    agent,
    humanReplied,
    queue,
    /** A join result or `conversation:updated`: a field it leaves out is unchanged. */
    update(c: VisitorConversation): void {
      batch(() => {
        if (c.queuePosition !== undefined) queue.value = c.queuePosition;
        if (c.agent !== undefined) {
          agent.value = c.agent?.name ?? null;
          viewSeq = Math.max(viewSeq, c.lastSeq);
        }
        if (c.humanReplied !== undefined) humanReplied.value = c.humanReplied;
      });
    },
    /** Messages arrived: a new one of an agent names who answers, and ends the wait in line at once. */
    heard(messages: Message[]): void {
      const last = messages.filter((m) => m.authorType === 'agent' && m.seq > viewSeq).sort((a, b) => a.seq - b.seq).at(-1);
      if (!last) return;
      batch(() => {
        humanReplied.value = true;
        queue.value = null;
        if (last.authorName) agent.value = last.authorName;
      });
    },
    /** A new conversation starts: nobody answers yet. */
    reset(): void {
      batch(() => {
        agent.value = queue.value = null;
        viewSeq = 0;
        humanReplied.value = false;
      });
    },
  };
}
