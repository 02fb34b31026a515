import { batch, computed, signal } from '@preact/signals-core';
import type { Message, PublicSiteConfig } from '../../../../protocol/src/index';
import { createTransport, type Transport } from '../../transport';
import { ApiError, fetchConfig, startConversation } from '../api';
import { createStorage, type OutboxItem, type StoredState } from '../storage';
import { fromOutbox, mergeMessages, type ChatMessage } from './messages';
import { issueKey, validateSurvey, type FieldErrors, type RawAnswers } from './survey';

export interface WidgetModelOptions {
  siteId: string;
  origin: string;
  open: boolean;
  /** Values of hidden survey fields, set by the embedding page. */
  defaults?: Record<string, string>;
}

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** Makes a client message id: a UUID, or random hex where randomUUID is missing (plain http). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The widget's state and the actions that change it. Views read the signals
 * and call the actions; only this model talks to the transport and storage.
 */
export function createWidgetModel(opts: WidgetModelOptions) {
  const storage = createStorage(opts.siteId);
  const lang = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';

  const config = signal<PublicSiteConfig | null>(null);
  const unavailable = signal(false);
  const isOpen = signal(opts.open);
  const stored = signal<StoredState | null>(storage.read());
  const messages = signal<ChatMessage[]>([]);
  const connection = signal<ConnectionState>('connecting');
  const everOnline = signal(false);
  const closedConversation = signal(false);
  /** Place in the team's queue while waiting for an agent; null once assigned. */
  const queue = signal<number | null>(null);
  const unread = signal(0);
  const fieldErrors = signal<FieldErrors>({});
  const formError = signal('');
  const submitting = signal(false);
  const view = computed(() =>
    unavailable.value ? 'unavailable' : !config.value ? 'loading' : stored.value?.conversationId ? 'chat' : 'survey',
  );

  let transport: Transport | undefined;
  let flushing = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const outbox = (): OutboxItem[] => stored.value?.outbox ?? [];
  function save(next: StoredState | null): void {
    stored.value = next;
    if (next) storage.write(next);
    else storage.clear();
  }
  const setOutbox = (items: OutboxItem[]): void => save({ ...stored.value!, outbox: items });

  function receive(incoming: Message[]): void {
    const known = new Set(messages.value.map((m) => m.id));
    const fresh = incoming.filter((m) => !known.has(m.id) && m.authorType !== 'visitor').length;
    messages.value = mergeMessages(messages.value, incoming);
    // history fetched on the first join is not news
    if (!isOpen.value && everOnline.value && fresh) unread.value += fresh;
  }

  /** Sends the outbox in order while the socket is ready; what fails to get an ack stays for later. */
  async function flush(): Promise<void> {
    const t = transport;
    const conversationId = stored.value?.conversationId;
    if (flushing || !t?.ready || !conversationId) return;
    flushing = true;
    try {
      for (let item = outbox()[0]; item && t === transport && t.ready; item = outbox()[0]) {
        const ack = await t.send({ conversationId, clientId: item.clientId, text: item.text }).catch(() => null);
        if (t !== transport) return;
        if (!ack || (!ack.ok && (ack.code === 'rate_limited' || ack.code === 'internal_error'))) {
          clearTimeout(retry);
          retry = setTimeout(() => void flush(), 5000);
          return;
        }
        const clientId = item.clientId;
        batch(() => {
          if (ack.ok) messages.value = mergeMessages(messages.value, [ack.data.message]);
          else
            messages.value = messages.value.map((m) =>
              m.clientId === clientId && !m.id ? { ...m, state: 'failed', error: ack.message } : m,
            );
          setOutbox(outbox().filter((o) => o.clientId !== clientId));
        });
      }
    } finally {
      flushing = false;
    }
  }

  function disconnect(): void {
    clearTimeout(retry);
    transport?.close();
    transport = undefined;
  }

  function connect(): void {
    const s = stored.value;
    if (!s?.conversationId || !s.token) return;
    disconnect();
    connection.value = 'connecting';
    messages.value = s.outbox.map(fromOutbox);
    transport = createTransport(
      { origin: opts.origin, token: s.token, conversationId: s.conversationId },
      {
        messages: receive,
        conversation: (c) => {
          closedConversation.value = c.status === 'closed';
          // an update without the field leaves the place unchanged
          if (c.queuePosition !== undefined) queue.value = c.queuePosition;
        },
        ready: () => {
          batch(() => {
            connection.value = 'online';
            everOnline.value = true;
          });
          void flush();
        },
        offline: () => (connection.value = 'offline'),
        rejected: (code) => {
          disconnect();
          // a dead token means a new visitor; a lost conversation keeps the visitor's token
          if (code === 'unauthorized') save(null);
          else save({ ...stored.value!, conversationId: undefined, outbox: [] });
          messages.value = [];
        },
      },
    );
  }

  async function loadConfig(): Promise<void> {
    try {
      config.value = await fetchConfig(opts.origin, opts.siteId, lang);
    } catch (err) {
      unavailable.value = true;
      console.error('[parley] could not load the chat configuration', err);
    }
  }

  async function submitSurvey(raw: RawAnswers, consent: boolean): Promise<void> {
    const cfg = config.value;
    if (!cfg || submitting.value) return;
    for (const f of cfg.prechat.fields) if (f.type === 'hidden') raw[f.key] = opts.defaults?.[f.key] ?? '';
    const checked = validateSurvey(cfg, raw, consent);
    formError.value = '';
    fieldErrors.value = checked.ok ? {} : checked.errors;
    if (!checked.ok) return;
    submitting.value = true;
    const body = { answers: checked.answers, consent, pageUrl: location.href, language: cfg.language };
    let token = stored.value?.token;
    try {
      let result;
      try {
        result = await startConversation(opts.origin, opts.siteId, body, token);
      } catch (err) {
        // the stored token is unknown to the server: start over as a new visitor
        if (!(err instanceof ApiError && err.status === 401 && token)) throw err;
        token = undefined;
        result = await startConversation(opts.origin, opts.siteId, body, token);
      }
      batch(() => {
        save({ token: result.token ?? token, contactId: result.contactId, conversationId: result.conversationId, outbox: [] });
        closedConversation.value = false;
        connect();
      });
    } catch (err) {
      const errors: FieldErrors = {};
      if (err instanceof ApiError) {
        for (const issue of err.issues) errors[issueKey(issue.path)] ??= issue.message;
        fieldErrors.value = errors;
      }
      if (Object.keys(errors).length === 0)
        formError.value = err instanceof ApiError ? err.message : 'Could not start the chat. Please try again.';
    } finally {
      submitting.value = false;
    }
  }

  /** Shows the message at once and queues it; it is sent when the socket is ready, again after a reload if need be. */
  function sendMessage(input: string): void {
    const text = input.trim();
    if (!text || !stored.value?.conversationId) return;
    const item: OutboxItem = { clientId: newClientId(), text, createdAt: new Date().toISOString() };
    batch(() => {
      setOutbox([...outbox(), item]);
      messages.value = [...messages.value, fromOutbox(item)];
    });
    void flush();
  }

  /** After the conversation ended: back to the survey, keeping the visitor's token. */
  function startOver(): void {
    disconnect();
    batch(() => {
      save({ ...stored.value!, conversationId: undefined, outbox: [] });
      messages.value = [];
      closedConversation.value = false;
    });
  }

  function open(): void {
    batch(() => {
      isOpen.value = true;
      unread.value = 0;
    });
  }
  function close(): void {
    isOpen.value = false;
  }

  void loadConfig();
  connect();

  return {
    config,
    view,
    isOpen,
    messages,
    connection,
    everOnline,
    closedConversation,
    queue,
    unread,
    fieldErrors,
    formError,
    submitting,
    open,
    close,
    toggle: () => (isOpen.value ? close() : open()),
    submitSurvey,
    /** Drops a field's error once the visitor changes that field. */
    clearError(key: string) {
      if (!fieldErrors.value[key]) return;
      const { [key]: _fixed, ...rest } = fieldErrors.value;
      fieldErrors.value = rest;
    },
    sendMessage,
    startOver,
    dispose: disconnect,
  };
}

export type WidgetModel = ReturnType<typeof createWidgetModel>;
