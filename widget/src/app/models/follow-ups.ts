import { computed, signal, type ReadonlySignal } from '@preact/signals-core';
import type { FollowUpOptOut, VisitorConversation } from '../../../../protocol/src/index';
import type { Transport } from '../../transport';
import type { ChatMessage } from './messages';

/** What the launcher's badge and preview show: the count and the latest unread agent message. */
export interface UnreadState {
  count: number;
  latest: { id: string; authorName: string | null; text: string } | null;
}

/**
 * What goes on after a chat: the unread count (agent messages above the visitor's read mark,
 * the same in every tab because the mark is the server's), the visitor's opt-out of follow-ups,
 * and the transcript by email.
 */
export function createFollowUps(messages: ReadonlySignal<ChatMessage[]>, transport: () => Transport | undefined) {
  /** Highest seq the visitor has seen, in any tab. */
  const readSeq = signal(0);
  const optedOut = signal<FollowUpOptOut | null>(null);
  /** The transcript request: '' until asked, then 'sending', 'sent' or the refusal's words. */
  const transcript = signal('');
  /** A short line after a menu action, for a polite live region. */
  const said = signal('');
  /** The header's menu is open. */
  const menuOpen = signal(false);

  const unread = computed<UnreadState>(() => {
    const fresh = messages.value.filter((m) => m.authorType === 'agent' && m.seq && m.seq > readSeq.value);
    const last = fresh[fresh.length - 1];
    return { count: fresh.length, latest: last ? { id: last.id!, authorName: last.authorName ?? null, text: last.text } : null };
  });

  return {
    unread,
    optedOut,
    transcript,
    said,
    menuOpen,
    /** A join or an update: the read mark moves only forward; the opt-out comes with joins. */
    update(c: VisitorConversation): void {
      if (c.visitorReadSeq !== undefined) this.read(c.visitorReadSeq);
      if (c.followUps) optedOut.value = c.followUps.optedOut;
    },
    read(seq: number | undefined): void {
      if (seq !== undefined && seq > readSeq.value) readSeq.value = seq;
    },
    /** Opts out of follow-ups (or accepts them again); says the outcome. */
    async setAllowed(allow: boolean, texts: { stopped: string; notSent: string }): Promise<void> {
      const ack = await transport()?.followUps(allow).catch(() => null);
      if (ack?.ok) {
        optedOut.value = ack.data.optedOut;
        said.value = allow ? '' : texts.stopped;
      } else said.value = (ack && !ack.ok && ack.message) || texts.notSent;
    },
    async emailTranscript(texts: { transcriptSent: string; notSent: string }): Promise<void> {
      if (transcript.value === 'sending') return;
      transcript.value = 'sending';
      const ack = await transport()?.transcript().catch(() => null);
      transcript.value = ack?.ok ? 'sent' : (ack && !ack.ok && ack.message) || texts.notSent;
      said.value = ack?.ok ? texts.transcriptSent : transcript.value;
    },
    reset(): void {
      readSeq.value = 0;
      transcript.value = '';
      said.value = '';
      menuOpen.value = false;
    },
  };
}

export type FollowUps = ReturnType<typeof createFollowUps>;
