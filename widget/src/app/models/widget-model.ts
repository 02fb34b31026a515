import { batch, computed, effect, signal } from '@preact/signals-core';
import type {
  ConversationRating,
  IdentifyResult,
  Message,
  PublicSiteConfig,
  StartConversation,
  StartConversationResult,
} from '../../../../protocol/src/index';
import { fromInit, initialValue, pageFacts, withOverrides, type Overrides } from '../../overrides';
import { createTransport, type Transport } from '../../transport';
import type { MountOptions } from '../../mount';
import { ApiError, siteApi } from '../api';
import { createStorage, type OutboxItem, type StoredState } from '../storage';
import { fromOutbox, mergeMessages, type ChatMessage } from './messages';
import { issueKey, validateSurvey, type FieldErrors, type RawAnswers } from './survey';
import { createAgentPresence, createTypingThrottle } from './presence';
import { createConversationState } from './conversation-state';
import { createFollowUps } from './follow-ups';

export type WidgetModelOptions = Omit<MountOptions, 'shadowRoot' | 'launcher'>;

export type ConnectionState = 'connecting' | 'online' | 'offline';

/**
 * Makes a client message id: a UUID, or 128 random bits in hex where randomUUID is missing (a page
 * on plain http, where getRandomValues still works): never Math.random, so ids cannot be guessed.
 */
export const newClientId = (): string =>
  crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The widget's state and the actions that change it. Views read the signals
 * and call the actions; only this model talks to the transport and storage.
 */
export function createWidgetModel(opts: WidgetModelOptions) {
  const storage = createStorage(opts.siteId);
  const { emit } = opts;

  const site = signal<PublicSiteConfig | null>(null);
  const overrides = signal(opts.overrides);
  /** The site's config as this page shows it. */
  const config = computed(() => site.value && withOverrides(site.value, overrides.value));
  /** Keys of fields the server already knows for the stored token; null until asked. */
  const known = signal<string[] | null>(null);
  const unavailable = signal(false);
  const isOpen = signal(opts.open);
  const stored = signal<StoredState | null>(storage.read());
  const messages = signal<ChatMessage[]>([]);
  const connection = signal<ConnectionState>('connecting');
  const everOnline = signal(false);
  const closedConversation = signal(false);
  /** The server said the visitor sends too fast: the outbox waits for the time it named. */
  const slowed = signal(false);
  /** The visitor's rating of the closed conversation; null until rated. */
  const rating = signal<ConversationRating | null>(null);
  /** The visitor chose not to rate this conversation. */
  const skipped = signal(false);
  /** Who answers, whether a person has, the place in the queue. */
  const conv = createConversationState();
  /** Unread agent messages (above the visitor's read mark, which every tab shares), the opt-out, the transcript. */
  const followUps = createFollowUps(messages, () => transport);
  const unread = computed(() => followUps.unread.value.count);
  const fieldErrors = signal<FieldErrors>({});
  const formError = signal('');
  const submitting = signal(false);
  /** The survey's fields for this visitor: the ones the server already knows are skipped (it fills them in). */
  const fields = computed(() => config.value?.prechat.fields.filter((f) => !(stored.value?.token && known.value?.includes(f.key))) ?? []);
  const view = computed(() =>
    unavailable.value
      ? 'unavailable'
      : !config.value
        ? 'loading'
        : stored.value?.conversationId
          ? !closedConversation.value
            ? 'chat'
            : // no person answered: nothing to rate
              rating.value || skipped.value || !conv.humanReplied.value
              ? 'ended'
              : 'rate'
          : stored.value?.token && !known.value
            ? 'loading'
            : 'survey',
  );

  let transport: Transport | undefined;
  const presence = createAgentPresence();
  const typer = createTypingThrottle({ typing: (on, preview) => transport?.typing(on, preview) });
  /** Key of the visitor's last message agents have read, for its "Seen". */
  const seenKey = computed(() => messages.value.findLast((m) => m.authorType === 'visitor' && m.seq && m.seq <= presence.agentReadSeq.value)?.key);
  // highest seq reported read on this connection; a page seen once per page load
  let readSent = 0;
  let pageSent = '';
  let flushing = false;
  /** This connection has joined: what arrives now is news to the page (`message:received`, `conversation:closed`), not history. */
  let live = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const outbox = (): OutboxItem[] => stored.value?.outbox ?? [];
  function save(next: StoredState | null): void {
    stored.value = next;
    storage.write(next);
  }
  const setOutbox = (items: OutboxItem[]): void => save({ ...stored.value!, outbox: items });

  function receive(incoming: Message[]): void {
    messages.value = mergeMessages(messages.value, incoming);
    for (const m of incoming) if (m.authorType === 'agent') presence.spoke(m.authorName);
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
          slowed.value = !!ack?.retryAfter;
          clearTimeout(retry);
          retry = setTimeout(() => void flush(), (ack?.retryAfter || 5) * 1000);
          return;
        }
        const clientId = item.clientId;
        if (ack.ok) emit('message:sent', { conversationId, clientId, text: item.text });
        else emit('error', { code: ack.code, message: ack.message });
        batch(() => {
          slowed.value = false;
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

  /** Tells the server what the visitor has seen: only while the panel is open and the page visible. */
  function markRead(): void {
    // both signals are read first, whatever returns early: the effect must wake when the panel opens
    const open = isOpen.value;
    const seq = messages.value.reduce((top, m) => Math.max(top, m.seq ?? 0), 0);
    if (!open || !transport?.ready || document.visibilityState !== 'visible' || seq <= readSent) return;
    readSent = seq;
    transport.read(seq).then((ack) => ack.ok && followUps.read(ack.data.seq), () => (readSent = 0));
  }
  effect(markRead);
  document.addEventListener('visibilitychange', markRead);

  /** Tells agents the page the visitor is on, once per address: each page load, and each route of a single-page app. */
  function page(): void {
    const href = location.href;
    if (!transport?.ready || href == pageSent) return;
    pageSent = href;
    transport.pageView(href, document.title).catch(() => (pageSent = ''));
  }
  // a route change (history.pushState where the Navigation API exists, back and forward everywhere), after the app's new title
  const nav = (window as { navigation?: EventTarget }).navigation;
  const routed = (): void => void setTimeout(page, 300);
  addEventListener('popstate', routed);
  nav?.addEventListener('currententrychange', routed);

  function disconnect(): void {
    typer.stop();
    clearTimeout(retry);
    transport?.close();
    transport = undefined;
  }

  function connect(): void {
    const s = stored.value;
    if (!s?.conversationId || !s.token) return;
    disconnect();
    connection.value = 'connecting';
    live = false;
    messages.value = s.outbox.map(fromOutbox);
    transport = createTransport(
      { origin: opts.origin, token: s.token, conversationId: s.conversationId },
      {
        messages: (m) => {
          conv.heard(m);
          if (live)
            for (const x of m)
              if (x.authorType != 'visitor' && !messages.value.some((y) => y.id == x.id))
                emit('message:received', x);
          receive(m);
        },
        conversation: (c) => {
          if (live && c.status == 'closed' && !closedConversation.value) emit('conversation:closed', { conversationId: c.id });
          batch(() => {
            closedConversation.value = c.status === 'closed';
            // an update without the field leaves the value unchanged
            conv.update(c);
            followUps.update(c);
            if (c.rating !== undefined) rating.value = c.rating;
            presence.read(c.agentReadSeq);
          });
        },
        ready: () => {
          live = true;
          batch(() => {
            connection.value = 'online';
            everOnline.value = true;
          });
          readSent = 0;
          markRead();
          page();
          void flush();
        },
        offline: () => (connection.value = 'offline'),
        typing: presence.typing,
        read: (seq, mine) => {
          presence.read(seq);
          followUps.read(mine);
        },
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

  // a visitor with a token meets a survey without the fields the server already knows: ask it which (once per token)
  let knownFor: string | undefined;
  effect(() => {
    const token = stored.value?.token;
    const c = config.value;
    if (!c || !token || stored.value?.conversationId || knownFor === token) return;
    knownFor = token;
    siteApi<PublicSiteConfig>(opts.origin, opts.siteId, `config?lang=${encodeURIComponent(c.language)}`, token)
      .then((fresh) => fresh.prechat.known ?? [], () => [])
      .then((keys) => (known.value = keys));
  });

  const start = (body: StartConversation, token: string | undefined) =>
    siteApi<StartConversationResult>(opts.origin, opts.siteId, 'conversations', token, body);

  /**
   * Shows errors beside their fields. One for a field without a control (a hidden one, or one the
   * server knew and the widget skipped) goes to the form's alert instead, so it is seen and heard:
   * else the start button would do nothing, silently. `other` is the alert's text when none is.
   */
  function showErrors(errors: FieldErrors, other = ''): void {
    fieldErrors.value = errors;
    formError.value = Object.entries(errors).find(([key]) => key != 'consent' && !fields.value.some((f) => f.key == key && f.type != 'hidden'))?.[1] ?? other;
  }

  async function submitSurvey(raw: RawAnswers, consent: boolean): Promise<void> {
    const cfg = config.value;
    if (!cfg || submitting.value) return;
    const page = pageFacts();
    for (const f of fields.value) if (f.type === 'hidden') raw[f.key] = String(initialValue(f, overrides.value, page) ?? '');
    const checked = validateSurvey(cfg, fields.value, raw, consent);
    showErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    submitting.value = true;
    emit('survey:submitted', { answers: checked.answers });
    const body = { answers: checked.answers, consent, pageUrl: location.href, language: cfg.language, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
    let token = stored.value?.token;
    try {
      let result;
      try {
        result = await start(body, token);
      } catch (err) {
        // the stored token is unknown to the server: start over as a new visitor
        if (!(err instanceof ApiError && err.status === 401 && token)) throw err;
        token = undefined;
        result = await start(body, token);
      }
      batch(() => {
        save({ token: result.token ?? token, contactId: result.contactId, userId: stored.value?.userId, conversationId: result.conversationId, outbox: [] });
        closedConversation.value = false;
        connect();
      });
      emit('conversation:started', { conversationId: result.conversationId });
    } catch (err) {
      const errors: FieldErrors = {};
      const api = err instanceof ApiError;
      if (api) for (const issue of err.issues) errors[issueKey(issue.path)] ??= issue.message;
      // no issue by field: the server's sentence, or "could not start" when it was not reached
      showErrors(errors, Object.keys(errors).length ? '' : api ? err.message : cfg.ui.startFailed);
    } finally {
      submitting.value = false;
    }
  }

  /** Shows the message at once and queues it; it is sent when the socket is ready, again after a reload if need be. */
  function sendMessage(input: string): void {
    const text = input.trim();
    if (!text || !stored.value?.conversationId) return;
    typer.stop();
    const item: OutboxItem = { clientId: newClientId(), text, createdAt: new Date().toISOString() };
    batch(() => {
      setOutbox([...outbox(), item]);
      messages.value = [...messages.value, fromOutbox(item)];
    });
    void flush();
  }

  /** Rates the closed conversation (a score from 1 to 5); a refusal or a lost ack is shown, and the visitor may try again. */
  async function rate(score: number, comment: string): Promise<void> {
    const conversationId = stored.value?.conversationId;
    if (!transport || !conversationId || submitting.value) return;
    // the form checks nothing itself (no browser bubble): a missing score is said in the form's alert
    if (!score) return void (formError.value = config.value!.ui.ratePick);
    batch(() => {
      submitting.value = true;
      formError.value = '';
    });
    const ack = await transport.rate({ conversationId, score, comment: comment.trim() || null }).catch(() => null);
    batch(() => {
      submitting.value = false;
      if (ack?.ok) emit('rating:submitted', { conversationId, score, comment: (rating.value = ack.data.rating).comment });
      else formError.value = ack?.message ?? config.value!.ui.notSent;
    });
  }

  /** After the conversation ended: back to the survey, keeping the visitor's token (and asking again what it knows). */
  function startOver(): void {
    disconnect();
    knownFor = undefined;
    batch(() => {
      save({ ...stored.value!, conversationId: undefined, outbox: [] });
      messages.value = [];
      known.value = null;
      formError.value = '';
      closedConversation.value = false;
      rating.value = null;
      skipped.value = false;
      conv.reset();
      followUps.reset();
    });
  }

  /** Shows another conversation (or none) on another token: `ChatWidget.setUser` verified the visitor as the shop's user. */
  function rejoin(next: StoredState): void {
    disconnect();
    knownFor = undefined;
    batch(() => {
      save(next);
      known.value = null;
      closedConversation.value = false;
      conv.reset();
      followUps.reset();
      connect();
    });
  }

  function open(): void {
    isOpen.value = true;
  }
  function close(): void {
    isOpen.value = false;
  }

  // the loader has logged why
  opts.config.then(
    (c) => (site.value = c),
    () => (unavailable.value = true),
  );
  // the loader's badge or an email's link asked for a conversation: show that one (the server checks it is theirs)
  const focus = opts.focus;
  if (focus && stored.value?.token && focus !== stored.value.conversationId) save({ ...stored.value, conversationId: focus, outbox: [] });
  connect();

  const model = {
    config,
    overrides,
    stored,
    save,
    rejoin,
    emit,
    opts,
    fields,
    view,
    isOpen,
    messages,
    connection,
    everOnline,
    slowed,
    rating,
    queue: conv.queue,
    /** Name of the person answering; null before any. */
    agent: conv.agent,
    unread,
    followUps,
    fieldErrors,
    formError,
    submitting,
    open,
    close,
    toggle: () => (isOpen.value ? close() : open()),
    /** The page's calls the loader handed over (`ChatWidget.setUser`, `setAttributes`, `sendMessage`, `reset`): their code loads on the first. */
    call(name: string, args: unknown[]): void {
      void import('./page-api').then((m) => m.pageCall(model, name, args[0]));
    },
    submitSurvey,
    /** Drops a field's error once the visitor changes that field. */
    clearError(key: string) {
      if (!fieldErrors.value[key]) return;
      const { [key]: _fixed, ...rest } = fieldErrors.value;
      fieldErrors.value = rest;
    },
    sendMessage,
    /** The chat box now holds `text`: typing events, throttled. */
    typed: typer.input,
    /** Name of the agent typing ('' when unnamed), or null. */
    agentTyping: presence.typingName,
    seenKey,
    /** Origin, token and conversation, for the attachment chunk (read when used). */
    auth: () => ({ origin: opts.origin, token: stored.value?.token, conversationId: stored.value?.conversationId }),
    rate,
    skipRating: () => (skipped.value = true),
    startOver,
    /** The visitor deleted their data: forget them in this browser too (the survey shows again). */
    async eraseMine(): Promise<void> {
      const ack = await transport?.erase().catch(() => null);
      if (!ack?.ok) return void (followUps.said.value = ack?.message ?? config.value!.ui.notSent);
      startOver();
      save(null);
    },
    /** `ChatWidget.unmount`: the socket closes and the page's listeners go (the loader removes the nodes). */
    destroy(): void {
      disconnect();
      document.removeEventListener('visibilitychange', markRead);
      removeEventListener('popstate', routed);
      nav?.removeEventListener('currententrychange', routed);
    },
    /** The page called `ChatWidget.init` again: its looks, texts and values from now on. */
    set(next: PublicSiteConfig, nextOverrides: Overrides) {
      batch(() => {
        site.value = next;
        overrides.value = nextOverrides;
      });
    },
  };
  return model;
}

export type WidgetModel = ReturnType<typeof createWidgetModel>;
