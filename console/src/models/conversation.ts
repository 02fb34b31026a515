import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { ContactProfile, ConversationDetail, ConversationSummary, Label, Message, Note, ReadEvent, TimelineEvent, TypingEvent } from '../../../protocol/src/index';
import { ErrorCode } from '../../../protocol/src/errors';
import type { Transport } from '../transport';

/** A reply the agent wrote that the server has not acknowledged yet. */
export interface PendingMessage {
  /** A reply to the visitor, or a private note for agents. */
  kind: 'reply' | 'note';
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
  /** Unacknowledged replies and notes of the open conversation, oldest first. */
  pending: ReadonlySignal<PendingMessage[]>;
  /** Private notes of the open conversation, oldest first. */
  notes: ReadonlySignal<Note[]>;
  /** Timeline events of the open conversation (assigned, labelled, closed…), oldest first. */
  events: ReadonlySignal<TimelineEvent[]>;
  /** Who is typing in the open conversation now (the visitor, other agents). */
  typing: ReadonlySignal<TypingEvent[]>;
  /** True while older messages than the first held exist on the server. */
  hasOlder: ReadonlySignal<boolean>;
  loadingOlder: ReadonlySignal<boolean>;
  /** The site's label catalogue. */
  labelCatalogue: ReadonlySignal<Label[]>;
  loading: ReadonlySignal<boolean>;
  error: ReadonlySignal<string | null>;
  open(conversationId: string | null): void;
  /** Loads the page of messages before the first one held. */
  loadOlder(): Promise<void>;
  /** Fetches what came after the highest seq held, page by page. */
  sync(): Promise<void>;
  receive(message: Message): void;
  /** Refreshes the header fields of the open conversation from a live summary. */
  applySummary(summary: ConversationSummary): void;
  send(text: string): void;
  /** Adds a private note (agents only). */
  sendNote(text: string): void;
  retry(clientId: string): void;
  /** Tells the visitor whether the agent is typing (throttled here). */
  setTyping(typing: boolean): void;
  applyNote(note: Note): void;
  applyEvent(event: TimelineEvent): void;
  applyTyping(event: TypingEvent): void;
  applyRead(event: ReadEvent): void;
  applyLabelCatalogue(labels: Label[]): void;
  applyContact(contactId: string, profile: ContactProfile): void;
  /** Adds and removes labels on the open conversation; resolves with an error message or null. */
  editLabels(add: string[], remove: string[]): Promise<string | null>;
  /** Adds and removes labels on the open conversation's contact. */
  editContactLabels(add: string[], remove: string[]): Promise<string | null>;
  /** Sets (null removes) custom attributes of the open conversation's contact. */
  setAttributes(attributes: Record<string, string | number | boolean | null>): Promise<string | null>;
  /** Sends every unacknowledged reply again, with its original client id. */
  resendAll(): void;
  reset(): void;
}

export interface ConversationDeps {
  transport: Pick<
    Transport,
    'openConversation' | 'openLatest' | 'history' | 'sendMessage' | 'addNote' | 'typing' | 'editConversationLabels' | 'editContactLabels' | 'setContactAttributes'
  >;
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

/**
 * The highest seq up to which no message is missing in the held window (0 when none is held).
 * A long conversation opens at its latest page, so the window may start past seq 1.
 */
export function contiguousSeq(messages: readonly Message[]): number {
  const first = messages[0];
  if (!first) return 0;
  let seq = first.seq - 1;
  for (const m of messages) {
    if (m.seq === seq + 1) seq = m.seq;
    else if (m.seq > seq + 1) break;
  }
  return seq;
}

/** How long a typing indicator lasts without news. */
export const TYPING_TTL_MS = 6000;
/** At most one typing:true every this often while the agent types. */
export const TYPING_EVERY_MS = 2000;
/** Latest page a conversation opens with. */
export const PAGE = 50;

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
  const notes = signal<Note[]>([]);
  const events = signal<TimelineEvent[]>([]);
  const typingNow = signal<TypingEvent[]>([]);
  const hasOlder = signal(false);
  const loadingOlder = signal(false);
  const labelCatalogue = signal<Label[]>([]);
  const loading = signal(false);
  const error = signal<string | null>(null);
  const pending = computed(() => outbox.value.filter((p) => p.conversationId === openId.value));
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let syncing = false;
  let again = false;
  let opened = false;
  let lastTypingSent = 0;
  let typingOn = false;

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
    // a message from someone ends their typing indicator
    const authors = new Set(incoming.map((m) => (m.authorType === 'visitor' ? 'visitor' : m.authorName)));
    if (typingNow.value.some((t) => authors.has(t.who === 'visitor' ? 'visitor' : t.name))) {
      typingNow.value = typingNow.value.filter((t) => !authors.has(t.who === 'visitor' ? 'visitor' : t.name));
    }
  }

  function mergeNotes(incoming: readonly Note[]): void {
    const ids = new Set(notes.value.map((n) => n.id));
    const fresh = incoming.filter((n) => !ids.has(n.id));
    if (fresh.length === 0) return;
    const clientIds = new Set(fresh.map((n) => n.clientId));
    batch(() => {
      notes.value = [...notes.value, ...fresh].sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : 0));
      outbox.value = outbox.value.filter((p) => !clientIds.has(p.clientId));
    });
  }

  function setDetail(next: ConversationDetail): void {
    batch(() => {
      detail.value = next;
      mergeNotes(next.notes);
      events.value = next.events;
    });
  }

  function update(clientId: string, patch: Partial<PendingMessage>): void {
    outbox.value = outbox.value.map((p) => (p.clientId === clientId ? { ...p, ...patch } : p));
  }

  async function deliver(p: PendingMessage): Promise<void> {
    // while offline the reply waits in the outbox; resendAll runs on reconnect
    if (!deps.isConnected()) return;
    try {
      if (p.kind === 'note') {
        const ack = await deps.transport.addNote(p.conversationId, p.clientId, p.text);
        if (ack.ok) {
          if (ack.data.note.conversationId === openId.value) mergeNotes([ack.data.note]);
          else outbox.value = outbox.value.filter((x) => x.clientId !== p.clientId);
        } else update(p.clientId, { status: 'failed', error: ack.message, retryable: RETRYABLE.has(ack.code) });
        return;
      }
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

  function fail(id: string, message: string): void {
    if (openId.value !== id) return;
    batch(() => {
      error.value = message;
      loading.value = false;
    });
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
      // the first load opens at the latest page; later ones fetch what came after the window
      if (!opened) {
        const ack = await deps.transport.openLatest(id, PAGE);
        if (openId.value !== id) return;
        if (!ack.ok) return fail(id, ack.message);
        opened = true;
        batch(() => {
          setDetail(ack.data.conversation);
          merge(ack.data.messages);
          hasOlder.value = ack.data.hasMore;
          loading.value = false;
          error.value = null;
        });
        if (!again) return;
      }
      for (;;) {
        again = false;
        const ack = await deps.transport.openConversation(id, contiguousSeq(messages.value));
        if (openId.value !== id) return;
        if (!ack.ok) return fail(id, ack.message);
        batch(() => {
          setDetail(ack.data.conversation);
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

  function queue(kind: PendingMessage['kind'], text: string): void {
    const id = openId.value;
    const body = text.trim();
    if (!id || !body) return;
    const p: PendingMessage = {
      kind,
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
  }

  function clearTyping(): void {
    for (const timer of typingTimers.values()) clearTimeout(timer);
    typingTimers.clear();
    typingNow.value = [];
  }

  async function edit(run: () => Promise<{ ok: boolean; message?: string }>): Promise<string | null> {
    try {
      const ack = await run();
      return ack.ok ? null : (ack.message ?? 'Not saved.');
    } catch {
      return 'Not saved: no connection. Try again in a moment.';
    }
  }

  return {
    openId,
    detail,
    messages,
    pending,
    notes,
    events,
    typing: typingNow,
    hasOlder,
    loadingOlder,
    labelCatalogue,
    loading,
    error,
    open(conversationId) {
      if (openId.value === conversationId) return;
      if (typingOn && openId.value) deps.transport.typing(openId.value, false);
      typingOn = false;
      clearTyping();
      batch(() => {
        openId.value = conversationId;
        detail.value = null;
        messages.value = [];
        notes.value = [];
        events.value = [];
        hasOlder.value = false;
        error.value = null;
        loading.value = conversationId !== null;
      });
      syncing = false;
      opened = false;
      void sync();
    },
    async loadOlder() {
      const id = openId.value;
      const first = messages.value[0];
      if (!id || !first || !hasOlder.value || loadingOlder.value) return;
      loadingOlder.value = true;
      try {
        const ack = await deps.transport.history(id, first.seq, PAGE);
        if (openId.value !== id) return;
        if (ack.ok) {
          batch(() => {
            messages.value = mergeMessages(messages.value, ack.data.messages);
            hasOlder.value = ack.data.hasMore;
          });
        }
      } catch {
        // offline: the agent scrolls up again once the connection is back
      } finally {
        loadingOlder.value = false;
      }
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
      // assignment, status or team changes add timeline events: fetch the detail again to show them
      const moved = current.status !== summary.status || current.assigneeId !== summary.assigneeId || current.routing?.teamId !== summary.routing?.teamId;
      if (moved) void sync();
      // message:new normally follows; resync only if it has not come after a moment
      window.setTimeout(() => {
        const held = messages.value[messages.value.length - 1]?.seq ?? 0;
        if (openId.value === summary.id && summary.lastSeq > held) void sync();
      }, 1500);
    },
    send(text) {
      if (typingOn && openId.value) deps.transport.typing(openId.value, false);
      typingOn = false;
      queue('reply', text);
    },
    sendNote(text) {
      queue('note', text);
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
    setTyping(typing) {
      const id = openId.value;
      if (!id) return;
      const now = Date.now();
      if (typing) {
        if (typingOn && now - lastTypingSent < TYPING_EVERY_MS) return;
        lastTypingSent = now;
        typingOn = true;
        deps.transport.typing(id, true);
      } else if (typingOn) {
        typingOn = false;
        deps.transport.typing(id, false);
      }
    },
    applyNote(note) {
      if (note.conversationId === openId.value) mergeNotes([note]);
    },
    applyEvent(event) {
      if (event.conversationId !== openId.value || events.value.some((e) => e.id === event.id)) return;
      events.value = [...events.value, event];
    },
    applyTyping(event) {
      if (event.conversationId !== openId.value) return;
      const key = event.who === 'visitor' ? 'visitor' : `agent:${event.agentId ?? ''}`;
      const rest = typingNow.value.filter((t) => (t.who === 'visitor' ? 'visitor' : `agent:${t.agentId ?? ''}`) !== key);
      clearTimeout(typingTimers.get(key));
      typingTimers.delete(key);
      if (!event.typing) {
        typingNow.value = rest;
        return;
      }
      typingNow.value = [...rest, event];
      typingTimers.set(
        key,
        setTimeout(() => {
          typingTimers.delete(key);
          typingNow.value = typingNow.value.filter((t) => (t.who === 'visitor' ? 'visitor' : `agent:${t.agentId ?? ''}`) !== key);
        }, TYPING_TTL_MS),
      );
    },
    applyRead(event) {
      const current = detail.value;
      if (!current || current.id !== event.conversationId) return;
      const visitorReadSeq = Math.max(current.visitorReadSeq, event.visitorReadSeq);
      const agentReadSeq = Math.max(current.agentReadSeq, event.agentReadSeq);
      if (visitorReadSeq !== current.visitorReadSeq || agentReadSeq !== current.agentReadSeq) detail.value = { ...current, visitorReadSeq, agentReadSeq };
    },
    applyLabelCatalogue(labels) {
      labelCatalogue.value = labels;
    },
    applyContact(contactId, profile) {
      const current = detail.value;
      if (!current || current.contact.id !== contactId) return;
      // the pages seen belong to this conversation; a contact-wide update does not carry them
      detail.value = { ...current, profile: { ...profile, pages: profile.pages.length > 0 ? profile.pages : current.profile.pages } };
    },
    editLabels(add, remove) {
      const id = openId.value;
      if (!id) return Promise.resolve('No conversation is open.');
      return edit(() => deps.transport.editConversationLabels(id, add, remove));
    },
    editContactLabels(add, remove) {
      const contactId = detail.value?.contact.id;
      if (!contactId) return Promise.resolve('No conversation is open.');
      return edit(() => deps.transport.editContactLabels(contactId, add, remove));
    },
    setAttributes(attributes) {
      const contactId = detail.value?.contact.id;
      if (!contactId) return Promise.resolve('No conversation is open.');
      return edit(() => deps.transport.setContactAttributes(contactId, attributes));
    },
    reset() {
      clearTyping();
      batch(() => {
        openId.value = null;
        detail.value = null;
        messages.value = [];
        outbox.value = [];
        notes.value = [];
        events.value = [];
        hasOlder.value = false;
        loading.value = false;
        error.value = null;
      });
    },
  };
}
