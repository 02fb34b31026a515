import { effect, signal, type ReadonlySignal } from '@preact/signals';
import type { Api } from '../api';
import type { Transport } from '../transport';
import { createConversationModel, type ConversationModel } from './conversation';
import { createInboxModel, type InboxFilter, type InboxModel } from './inbox';
import { createSessionModel, type SessionModel } from './session';

/** Which screen the address asks for. */
export type Route = { name: 'inbox' } | { name: 'setup'; token: string };

/** Everything the console's views read and call. */
export interface ConsoleModel {
  session: SessionModel;
  inbox: InboxModel;
  conversation: ConversationModel;
  route: ReadonlySignal<Route>;
  /** False while the socket is down (shown as "Reconnecting…"). */
  connected: ReadonlySignal<boolean>;
  /** True once the socket has connected at least once in this session. */
  everConnected: ReadonlySignal<boolean>;
  selectConversation(conversationId: string | null): void;
  setFilter(filter: InboxFilter): void;
  /** Runs the setup form, then moves to the inbox. */
  completeSetup(input: { name: string; email: string; password: string }): Promise<void>;
  /** Starts the model: checks the session and ties the socket to it. Returns the cleanup. */
  start(): () => void;
}

/** Reads the route from a location: `/console/setup?token=…` or the inbox. */
export function routeFrom(location: Pick<Location, 'pathname' | 'search'>): Route {
  if (/\/setup\/?$/.test(location.pathname)) {
    return { name: 'setup', token: new URLSearchParams(location.search).get('token') ?? '' };
  }
  return { name: 'inbox' };
}

/** Builds the console model from its two doors to the server. */
export function createConsoleModel(deps: { api: Api; transport: Transport }): ConsoleModel {
  const { api, transport } = deps;
  const session = createSessionModel(api);
  const inbox = createInboxModel();
  const connected = signal(false);
  const everConnected = signal(false);
  const route = signal<Route>(routeFrom(window.location));
  const conversation = createConversationModel({
    transport,
    isConnected: () => connected.value,
    onSeen: (id, seq) => inbox.markSeen(id, seq),
  });

  async function loadInbox(): Promise<void> {
    const status = inbox.filter.value;
    try {
      const ack = await transport.listInbox(status);
      if (inbox.filter.value !== status) return;
      if (ack.ok) inbox.replace(ack.data.conversations);
      else inbox.setLoading(false, ack.message);
    } catch {
      if (inbox.filter.value === status) inbox.setLoading(false, 'Could not load conversations.');
    }
  }

  function connectSocket(): void {
    transport.connect({
      onConnect() {
        connected.value = true;
        everConnected.value = true;
        void loadInbox();
        void conversation.sync();
        conversation.resendAll();
      },
      onDisconnect() {
        connected.value = false;
      },
      onUnauthorized() {
        connected.value = false;
        session.expire();
      },
      onUpsert(summary) {
        inbox.upsert(summary);
        conversation.applySummary(summary);
        if (summary.id === conversation.openId.value && document.visibilityState === 'visible') {
          inbox.markSeen(summary.id, summary.lastSeq);
        }
      },
      onMessage(message) {
        conversation.receive(message);
      },
    });
  }

  return {
    session,
    inbox,
    conversation,
    route,
    connected,
    everConnected,
    selectConversation(conversationId) {
      conversation.open(conversationId);
    },
    setFilter(filter) {
      inbox.setFilter(filter);
      void loadInbox();
    },
    async completeSetup(input) {
      const current = route.value;
      const token = current.name === 'setup' ? current.token : '';
      if (await session.setup({ token, ...input })) {
        window.history.replaceState(null, '', '/console');
        route.value = { name: 'inbox' };
      }
    },
    start() {
      if (route.value.name === 'inbox') void session.check();
      const stop = effect(() => {
        if (session.state.value !== 'signedIn') return;
        connectSocket();
        return () => {
          transport.close();
          connected.value = false;
          everConnected.value = false;
          inbox.reset();
          conversation.reset();
        };
      });
      const onPop = (): void => {
        route.value = routeFrom(window.location);
      };
      window.addEventListener('popstate', onPop);
      return () => {
        stop();
        window.removeEventListener('popstate', onPop);
      };
    },
  };
}
