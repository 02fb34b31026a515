import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { ConversationDetail, ConversationSummary, Message } from '../../../protocol/src/index';
import { ErrorCode } from '../../../protocol/src/errors';
import type { Transport } from '../transport';

/** A reply the agent wrote that the server has not acknowledged yet. */
export interface PendingMessage {
  clientId: string;
  conversationId: string;
  text: string;
  createdAt: string;
  status: 'sending' | 'failed';
  /** Why it failed, shown on the bubble. */
  error: string | null;
  /** Whether a reconnect sends it again on its own. */
  retryable: boolean;
}

/** The open conversation: its detail, its messages, and the replies on their way. */
export interface ConversationModel {
  openId: ReadonlySignal<string | null>;
  detail: ReadonlySignal<ConversationDetail | null>;
  /** Confirmed messages of the open conversation, in seq order. */
  messages: ReadonlySignal<Message[]>;
  /** Unacknowledged replies of the open conversation, oldest first. */
  pending: ReadonlySignal<PendingMessage[]>;
  loading: ReadonlySignal<boolean>;
  error: ReadonlySignal<string | null>;
  open(conversationId: string | null): void;
  /** Fetches what came after the highest seq held, page by page. */
  sync(): Promise<void>;
  receive(message: Message): void;
  /** Refreshes the header fields of the open conversation from a live summary. */
  applySummary(summary: ConversationSummary): void;
  send(text: string): void;
  retry(clientId: string): void;
  /** Sends every unacknowledged reply again, with its original client id. */
  resendAll(): void;
  reset(): void;
}

export interface ConversationDeps {
  transport: Pick<Transport, 'openConversation' | 'sendMessage'>;
  isConnected(): boolean;
  /** Called with the highest seq the agent has now seen in a conversation. */
  onSeen(conversationId: string, seq: number): void;
}

/** A client message id: a UUID, also where `crypto.randomUUID` is missing (plain http). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The highest seq up to which no message is missing (0 when none is held). */
export function contiguousSeq(messages: readonly Message[]): number {
  let seq = 0;
  for (const m of messages) {
    if (m.seq === seq + 1) seq = m.seq;
    else if (m.seq > seq + 1) break;
  }
  return seq;
}

/** Merges `incoming` into `held`: dedupes by id and by seq, sorts by seq. */
export function mergeMessages(held: readonly Message[], incoming: readonly Message[]): Message[] {
  const bySeq = new Map<number, Message>();
  for (const m of held) bySeq.set(m.seq, m);
  const ids = new Set(held.map((m) => m.id));
  for (const m of incoming) if (!ids.has(m.id)) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

// codes where sending the same text again may work later
const RETRYABLE = new Set<string>([ErrorCode.RateLimited, ErrorCode.Internal]);

/** Builds the open-conversation model. */
export function createConversationModel(deps: ConversationDeps): ConversationModel {
  const openId = signal<string | null>(null);
  const detail = signal<ConversationDetail | null>(null);
  const messages = signal<Message[]>([]);
  const outbox = signal<PendingMessage[]>([]);
  const loading = signal(false);
  const error = signal<string | null>(null);
  const pending = computed(() => outbox.value.filter((p) => p.conversationId === openId.value));
  let syncing = false;
  let again = false;

  function merge(incoming: readonly Message[]): void {
    if (incoming.length === 0) return;
    const clientIds = new Set(incoming.map((m) => m.clientId));
    batch(() => {
      messages.value = mergeMessages(messages.value, incoming);
      if (outbox.value.some((p) => clientIds.has(p.clientId))) {
        outbox.value = outbox.value.filter((p) => !clientIds.has(p.clientId));
      }
    });
    const last = messages.value[messages.value.length - 1];
    if (openId.value && last) deps.onSeen(openId.value, last.seq);
  }

  function update(clientId: string, patch: Partial<PendingMessage>): void {
    outbox.value = outbox.value.map((p) => (p.clientId === clientId ? { ...p, ...patch } : p));
  }

  async function deliver(p: PendingMessage): Promise<void> {
    // while offline the reply waits in the outbox; resendAll runs on reconnect
    if (!deps.isConnected()) return;
    try {
      const ack = await deps.transport.sendMessage(p.conversationId, p.clientId, p.text);
      if (ack.ok) {
        const message = ack.data.message;
        outbox.value = outbox.value.filter((x) => x.clientId !== p.clientId);
        if (message.conversationId === openId.value) merge([message]);
      } else {
        update(p.clientId, { status: 'failed', error: ack.message, retryable: RETRYABLE.has(ack.code) });
      }
    } catch {
      update(p.clientId, { status: 'failed', error: 'Not delivered yet. It will be sent again when the connection is back.', retryable: true });
    }
  }

  async function sync(): Promise<void> {
    const id = openId.value;
    if (!id || !deps.isConnected()) return;
    if (syncing) {
      again = true;
      return;
    }
    syncing = true;
    try {
      for (;;) {
        again = false;
        const ack = await deps.transport.openConversation(id, contiguousSeq(messages.value));
        if (openId.value !== id) return;
        if (!ack.ok) {
          batch(() => {
            error.value = ack.message;
            loading.value = false;
          });
          return;
        }
        batch(() => {
          detail.value = ack.data.conversation;
          merge(ack.data.messages);
          loading.value = false;
          error.value = null;
        });
        if (!ack.data.hasMore && !again) return;
      }
    } catch {
      if (openId.value === id) {
        batch(() => {
          loading.value = false;
          if (!detail.value) error.value = 'Could not load this conversation. Retrying when the connection is back.';
        });
      }
    } finally {
      syncing = false;
    }
  }

  return {
    openId,
    detail,
    messages,
    pending,
    loading,
    error,
    open(conversationId) {
      if (openId.value === conversationId) return;
      batch(() => {
        openId.value = conversationId;
        detail.value = null;
        messages.value = [];
        error.value = null;
        loading.value = conversationId !== null;
      });
      syncing = false;
      void sync();
    },
    sync,
    receive(message) {
      if (message.conversationId !== openId.value) return;
      merge([message]);
      // a hole before the newest message means events were missed: resync
      const last = messages.value[messages.value.length - 1];
      if (last && contiguousSeq(messages.value) < last.seq) void sync();
    },
    applySummary(summary) {
      const current = detail.value;
      if (!current || current.id !== summary.id) return;
      // the summary carries the visitor's rating too, so a rating shows without fetching the detail again
      detail.value = { ...current, ...summary };
      // message:new normally follows; resync only if it has not come after a moment
      window.setTimeout(() => {
        const held = messages.value[messages.value.length - 1]?.seq ?? 0;
        if (openId.value === summary.id && summary.lastSeq > held) void sync();
      }, 1500);
    },
    send(text) {
      const id = openId.value;
      const body = text.trim();
      if (!id || !body) return;
      const p: PendingMessage = {
        clientId: newClientId(),
        conversationId: id,
        text: body,
        createdAt: new Date().toISOString(),
        status: 'sending',
        error: null,
        retryable: true,
      };
      outbox.value = [...outbox.value, p];
      void deliver(p);
    },
    retry(clientId) {
      const p = outbox.value.find((x) => x.clientId === clientId);
      if (!p) return;
      update(clientId, { status: 'sending', error: null });
      void deliver({ ...p, status: 'sending', error: null });
    },
    resendAll() {
      for (const p of outbox.value) {
        if (p.status === 'failed' && !p.retryable) continue;
        update(p.clientId, { status: 'sending', error: null });
        void deliver(p);
      }
    },
    reset() {
      batch(() => {
        openId.value = null;
        detail.value = null;
        messages.value = [];
        outbox.value = [];
        loading.value = false;
        error.value = null;
      });
    },
  };
}
