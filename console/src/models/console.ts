import { effect, signal, type ReadonlySignal } from '@preact/signals';
import type { Api } from '../api';
import type { Transport } from '../transport';
import { createAutoReplyApi, type AutoReplyApi } from '../auto-reply-api';
import { createAutoRepliesAdminModel, type AutoRepliesAdminModel } from './auto-replies';
import { createQuickRepliesModel, type QuickRepliesModel } from './quick-replies';
import { createConversationModel, type ConversationModel } from './conversation';
import { createInboxModel, type InboxFilter, type InboxModel } from './inbox';
import { createSessionModel, type SessionModel } from './session';
import type { InboxView } from '../../../protocol/src/index';
import { createRoutingApi, type RoutingApi } from '../routing-api';
import { createRoutingModel, type RoutingModel } from './routing';
import { createSurveyApi, type SurveyApi } from '../survey-api';
import { createSurveyEditorModel, type SurveyEditorModel } from './survey-editor';

/** Which screen the address asks for. */
export type Route = { name: 'inbox' } | { name: 'setup'; token: string } | { name: 'autoReplies' } | { name: 'agents' } | { name: 'survey' };

/** Everything the console's views read and call. */
export interface ConsoleModel {
  session: SessionModel;
  inbox: InboxModel;
  conversation: ConversationModel;
  /** Quick replies of the open conversation, for the reply box's `/` picker. */
  quickReplies: QuickRepliesModel;
  /** The admins' auto-replies screen. */
  autoReplies: AutoRepliesAdminModel;
  /** Teams, agents, presence and hand-offs. */
  routing: RoutingModel;
  /** The admins' survey editor. */
  survey: SurveyEditorModel;
  route: ReadonlySignal<Route>;
  /** Moves between the inbox and the auto-replies screen, keeping the address in step. */
  navigate(to: 'inbox' | 'autoReplies' | 'agents' | 'survey'): void;
  /** False while the socket is down (shown as "Reconnecting…"). */
  connected: ReadonlySignal<boolean>;
  /** True once the socket has connected at least once in this session. */
  everConnected: ReadonlySignal<boolean>;
  selectConversation(conversationId: string | null): void;
  setFilter(filter: InboxFilter): void;
  /** Mine, Unassigned or All. */
  setView(view: InboxView): void;
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
  if (/\/auto-replies\/?$/.test(location.pathname)) return { name: 'autoReplies' };
  if (/\/agents\/?$/.test(location.pathname)) return { name: 'agents' };
  if (/\/survey\/?$/.test(location.pathname)) return { name: 'survey' };
  return { name: 'inbox' };
}

/** Builds the console model from its two doors to the server. */
export function createConsoleModel(deps: { api: Api; transport: Transport; autoReplyApi?: AutoReplyApi; routingApi?: RoutingApi; surveyApi?: SurveyApi }): ConsoleModel {
  const { api, transport } = deps;
  const autoReplyApi = deps.autoReplyApi ?? createAutoReplyApi();
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
  const quickReplies = createQuickRepliesModel({ api: autoReplyApi, openId: conversation.openId });
  const autoReplies = createAutoRepliesAdminModel(autoReplyApi, () => quickReplies.reset());
  const routing = createRoutingModel({ transport, api: deps.routingApi ?? createRoutingApi(), me: () => session.agent.value?.id ?? null });
  const survey = createSurveyEditorModel(deps.surveyApi ?? createSurveyApi());

  async function loadInbox(): Promise<void> {
    const status = inbox.filter.value;
    const view = inbox.view.value;
    const current = () => inbox.filter.value === status && inbox.view.value === view;
    try {
      const ack = await transport.listInbox(status, view);
      if (!current()) return;
      if (ack.ok) inbox.replace(ack.data.conversations);
      else inbox.setLoading(false, ack.message);
    } catch {
      if (current()) inbox.setLoading(false, 'Could not load conversations.');
    }
  }

  function connectSocket(): void {
    transport.connect({
      onConnect() {
        connected.value = true;
        everConnected.value = true;
        void loadInbox();
        void routing.load();
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
      onAgentUpdated(agent) {
        routing.applyAgent(agent);
      },
      // the open conversation's live extras (owned by the conversation model)
      onNote(note) {
        conversation.applyNote(note);
      },
      onEvent(event) {
        conversation.applyEvent(event);
      },
      onTyping(event) {
        conversation.applyTyping(event);
      },
      onRead(event) {
        conversation.applyRead(event);
        if (event.agentId && event.agentId === session.agent.peek()?.id) inbox.markSeen(event.conversationId, event.agentReadSeq);
      },
      onLabels(labels) {
        conversation.applyLabelCatalogue(labels);
      },
      onContactUpdated(update) {
        conversation.applyContact(update.contactId, update.profile);
      },
    });
  }

  return {
    session,
    inbox,
    conversation,
    quickReplies,
    autoReplies,
    routing,
    survey,
    route,
    navigate(to) {
      const path = to === 'autoReplies' ? '/console/auto-replies' : to === 'agents' ? '/console/agents' : to === 'survey' ? '/console/survey' : '/console';
      if (window.location.pathname !== path) window.history.pushState(null, '', path);
      route.value = to === 'autoReplies' ? { name: 'autoReplies' } : to === 'agents' ? { name: 'agents' } : to === 'survey' ? { name: 'survey' } : { name: 'inbox' };
    },
    connected,
    everConnected,
    selectConversation(conversationId) {
      conversation.open(conversationId);
    },
    setFilter(filter) {
      inbox.setFilter(filter);
      void loadInbox();
    },
    setView(view) {
      inbox.setView(view, session.agent.value?.id ?? null);
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
      if (route.value.name !== 'setup') void session.check();
      const stop = effect(() => {
        if (session.state.value !== 'signedIn') return;
        // agents start with their own conversations, admins with everything
        const me = session.agent.peek();
        inbox.setView(me?.role === 'admin' ? 'all' : 'mine', me?.id ?? null);
        connectSocket();
        return () => {
          transport.close();
          connected.value = false;
          everConnected.value = false;
          inbox.reset();
          conversation.reset();
          routing.reset();
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
