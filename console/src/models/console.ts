import { computed, effect, signal, untracked, type ReadonlySignal } from '@preact/signals';
import type { Api } from '../api';
import type { Transport } from '../transport';
import { createAutoReplyApi, type AutoReplyApi } from '../auto-reply-api';
import { createQuickRepliesModel, type QuickRepliesModel } from './quick-replies';
import { createConversationModel, type ConversationModel } from './conversation';
import { createFollowUpsModel, type FollowUpsModel } from './follow-ups';
import { createInboxModel, type InboxFilter, type InboxModel } from './inbox';
import { createInboxLoader } from './inbox-loader';
import { createSearchModel, type SearchModel } from './search';
import { createAlertsModel, titleWith, type AlertsModel } from './alerts';
import { createSessionModel, type SessionModel } from './session';
import type { ConversationSummary, InboxView } from '../../../protocol/src/index';
import { createRoutingApi, type RoutingApi } from '../routing-api';
import { createRoutingModel, type RoutingModel } from './routing';

/** Which pane of the inbox is in front on a narrow screen. */
export type InboxPane = 'list' | 'conversation' | 'contact';

/** Which screen the address asks for. */
export type Route =
  | { name: 'inbox'; conversationId: string | null; pane: InboxPane }
  | { name: 'setup'; token: string }
  | { name: 'invite'; token: string }
  | { name: 'autoReplies' }
  | { name: 'agents' }
  | { name: 'survey' }
  | { name: 'labels' }
  | { name: 'integrations' }
  | { name: 'audit' }
  | { name: 'reports' }
  | { name: 'sessions' };

/** Where every agent sees the browsers they are signed in on. */
export const SESSIONS_PATH = '/console/sessions';

/** The admin screens and their addresses. */
export type AdminScreen = 'autoReplies' | 'agents' | 'survey' | 'labels' | 'integrations' | 'reports' | 'audit';
export const ADMIN_PATHS: Record<AdminScreen, string> = {
  autoReplies: '/console/auto-replies',
  agents: '/console/agents',
  survey: '/console/survey',
  labels: '/console/labels',
  integrations: '/console/integrations',
  reports: '/console/reports',
  audit: '/console/audit',
};

/** Everything the console's views read and call. */
export interface ConsoleModel {
  session: SessionModel;
  inbox: InboxModel;
  /** The search box above the list and its results. */
  search: SearchModel;
  /** Notification, sound and title alerts. */
  alerts: AlertsModel;
  conversation: ConversationModel;
  /** Follow-ups of the open conversation: the contact's timing and the scheduled ones. */
  followUps: FollowUpsModel;
  /** Quick replies of the open conversation, for the reply box's `/` picker. */
  quickReplies: QuickRepliesModel;
  /** The auto-replies' REST calls (quick replies here; the admin screen makes its own model over it). */
  autoReplyApi: AutoReplyApi;
  /** Teams, agents, presence and hand-offs. */
  routing: RoutingModel;
  route: ReadonlySignal<Route>;
  /** The list on screen: search results while searching, the inbox otherwise. */
  visibleList: ReadonlySignal<ConversationSummary[]>;
  /** Moves between the inbox and the admin screens, keeping the address in step. */
  navigate(to: 'inbox' | 'sessions' | AdminScreen): void;
  /** False while the socket is down (shown as "Reconnecting…"). */
  connected: ReadonlySignal<boolean>;
  /** True once the socket has connected at least once in this session. */
  everConnected: ReadonlySignal<boolean>;
  /** Opens a conversation (or none) and puts it in the address: `/console/conversations/<id>`. */
  selectConversation(conversationId: string | null): void;
  /** Shows or hides the contact pane of the open conversation (narrow screens). */
  showContact(show: boolean): void;
  /** Opens the next (`1`) or previous (`-1`) conversation of the visible list; false when there is none. */
  move(delta: 1 | -1): boolean;
  /** Closes the open conversation; false when none is open. */
  closeOpen(): boolean;
  setFilter(filter: InboxFilter): void;
  /** Mine, Unassigned or All. */
  setView(view: InboxView): void;
  setTeam(teamId: string | null): void;
  setLabel(label: string | null): void;
  /** Loads the next page of the list (called as the list scrolls). */
  loadMore(): void;
  /** Runs the setup form, then moves to the inbox. */
  completeSetup(input: { name: string; email: string; password: string }): Promise<void>;
  /** Accepts an invitation (name and password), then moves to the inbox. */
  completeInvite(input: { name: string; password: string }): Promise<void>;
  /** Starts the model: checks the session and ties the socket to it. Returns the cleanup. */
  start(): () => void;
}

const CONVERSATION_PATH = /\/conversations\/([A-Za-z0-9_-]{1,64})(\/contact)?\/?$/;

/** Reads the route from a location: `/console/setup?token=…`, `/console/conversations/<id>[/contact]`, or the inbox. */
export function routeFrom(location: Pick<Location, 'pathname' | 'search'>): Route {
  if (/\/invite\/?$/.test(location.pathname)) return { name: 'invite', token: new URLSearchParams(location.search).get('token') ?? '' };
  if (/\/setup\/?$/.test(location.pathname)) {
    return { name: 'setup', token: new URLSearchParams(location.search).get('token') ?? '' };
  }
  const path = location.pathname.replace(/\/$/, '');
  if (path === SESSIONS_PATH) return { name: 'sessions' };
  const admin = (Object.keys(ADMIN_PATHS) as AdminScreen[]).find((name) => ADMIN_PATHS[name] === path);
  if (admin) return { name: admin };
  const match = CONVERSATION_PATH.exec(location.pathname);
  if (match) return { name: 'inbox', conversationId: match[1]!, pane: match[2] ? 'contact' : 'conversation' };
  return { name: 'inbox', conversationId: null, pane: 'list' };
}

/** The address of an inbox route. */
export function pathOf(conversationId: string | null, pane: InboxPane = 'conversation'): string {
  if (!conversationId) return '/console';
  return `/console/conversations/${encodeURIComponent(conversationId)}${pane === 'contact' ? '/contact' : ''}`;
}

/** Builds the console model from its two doors to the server. */
export function createConsoleModel(deps: { api: Api; transport: Transport; autoReplyApi?: AutoReplyApi; routingApi?: RoutingApi; alerts?: AlertsModel }): ConsoleModel {
  const { api, transport } = deps;
  const autoReplyApi = deps.autoReplyApi ?? createAutoReplyApi();
  const session = createSessionModel(api);
  const inbox = createInboxModel();
  const alerts = deps.alerts ?? createAlertsModel();
  const connected = signal(false);
  const everConnected = signal(false);
  const visible = signal(typeof document === 'undefined' || document.visibilityState === 'visible');
  const route = signal<Route>(routeFrom(window.location));
  const conversation = createConversationModel({
    transport,
    isConnected: () => connected.value,
    onSeen: (id, seq) => {
      if (visible.peek()) loader.read(id, seq);
    },
  });
  const followUps = createFollowUpsModel({ transport, openId: conversation.openId });
  const loader = createInboxLoader({ transport, inbox, alerts, onLabels: (labels) => conversation.applyLabelCatalogue(labels) });
  const search = createSearchModel({ search: (q) => transport.search(q), onResults: (list) => list.forEach((c) => typeof c.readSeq === 'number' && inbox.markSeen(c.id, c.readSeq)) });
  const quickReplies = createQuickRepliesModel({ api: autoReplyApi, openId: conversation.openId });
  const routing = createRoutingModel({ transport, api: deps.routingApi ?? createRoutingApi(), me: () => session.agent.value?.id ?? null });
  const visibleList = computed(() => (search.active.value ? search.results.value : inbox.conversations.value));

  const audience = () => {
    const me = session.agent.peek();
    return { me: me?.id ?? null, admin: me?.role === 'admin', teams: routing.agents.peek().find((a) => a.id === me?.id)?.teams ?? [] };
  };

  function go(conversationId: string | null, pane: InboxPane, replace = false): void {
    const path = pathOf(conversationId, pane);
    if (window.location.pathname !== path) window.history[replace ? 'replaceState' : 'pushState'](null, '', path);
    route.value = { name: 'inbox', conversationId, pane: conversationId ? pane : 'list' };
    if (conversation.openId.peek() !== conversationId) conversation.open(conversationId);
  }

  function reload(): void {
    void loader.load();
    loader.refreshCounts();
  }

  function connectSocket(): void {
    transport.connect({
      onConnect() {
        connected.value = true;
        everConnected.value = true;
        reload();
        void loader.loadLabels();
        void routing.load();
        void conversation.sync();
        conversation.resendAll();
        followUps.refresh();
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
        search.upsert(summary);
        conversation.applySummary(summary);
        loader.refreshCounts();
        alerts.consider(summary, audience(), (id) => go(id, 'conversation'));
        if (summary.id === conversation.openId.peek() && visible.peek()) loader.read(summary.id, summary.lastSeq);
      },
      onRemoved(ids) {
        inbox.remove(ids);
        loader.refreshCounts();
        if (ids.includes(conversation.openId.peek() ?? '')) go(null, 'list');
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
        if (event.agentId && event.agentId === session.agent.peek()?.id) {
          inbox.markSeen(event.conversationId, event.agentReadSeq);
          loader.refreshCounts();
        }
      },
      onLabels(labels) {
        inbox.setLabels(labels);
        conversation.applyLabelCatalogue(labels);
      },
      onContactUpdated(update) {
        conversation.applyContact(update.contactId, update.profile);
      },
      onFollowUp(scheduled) {
        followUps.apply(scheduled);
      },
    });
  }

  return {
    session,
    inbox,
    search,
    alerts,
    conversation,
    followUps,
    quickReplies,
    autoReplyApi,
    routing,
    route,
    visibleList,
    navigate(to) {
      if (to === 'inbox') return go(null, 'list');
      const path = to === 'sessions' ? SESSIONS_PATH : ADMIN_PATHS[to];
      if (window.location.pathname !== path) window.history.pushState(null, '', path);
      route.value = { name: to };
    },
    connected,
    everConnected,
    selectConversation(conversationId) {
      go(conversationId, 'conversation');
    },
    showContact(show) {
      const current = route.peek();
      if (current.name === 'inbox' && current.conversationId) go(current.conversationId, show ? 'contact' : 'conversation');
    },
    move(delta) {
      const list = visibleList.peek();
      if (list.length === 0) return false;
      const at = list.findIndex((c) => c.id === conversation.openId.peek());
      const next = at < 0 ? (delta === 1 ? 0 : list.length - 1) : at + delta;
      const target = list[next];
      if (!target) return false;
      go(target.id, 'conversation');
      if (next >= list.length - 10 && !search.active.peek()) void loader.loadMore();
      return true;
    },
    closeOpen() {
      const id = conversation.openId.peek();
      const detail = conversation.detail.peek();
      if (!id || detail?.status !== 'open') return false;
      void routing.handOff(id, { action: 'close' }).then((summary) => {
        if (!summary) return;
        inbox.upsert(summary);
        conversation.applySummary(summary);
      });
      return true;
    },
    setFilter(filter) {
      inbox.setFilter(filter);
      void loader.load();
    },
    setView(view) {
      inbox.setView(view, session.agent.value?.id ?? null);
      void loader.load();
    },
    setTeam(teamId) {
      inbox.setTeam(teamId);
      void loader.load();
    },
    setLabel(label) {
      inbox.setLabel(label);
      void loader.load();
    },
    loadMore() {
      void loader.loadMore();
    },
    async completeSetup(input) {
      const current = route.value;
      const token = current.name === 'setup' ? current.token : '';
      if (await session.setup({ token, ...input })) {
        window.history.replaceState(null, '', '/console');
        route.value = { name: 'inbox', conversationId: null, pane: 'list' };
      }
    },
    async completeInvite(input) {
      const current = route.value;
      const token = current.name === 'invite' ? current.token : '';
      if (await session.acceptInvite({ token, ...input })) {
        window.history.replaceState(null, '', '/console');
        route.value = { name: 'inbox', conversationId: null, pane: 'list' };
      }
    },
    start() {
      if (route.value.name !== 'setup' && route.value.name !== 'invite') void session.check();
      const stop = effect(() => {
        if (session.state.value !== 'signedIn') return;
        // untracked: opening a conversation reads signals that must not restart the session
        untracked(() => {
          // agents start with their own conversations, admins with everything
          const me = session.agent.peek();
          inbox.setView(me?.role === 'admin' ? 'all' : 'mine', me?.id ?? null);
          const current = route.peek();
          if (current.name === 'inbox' && current.conversationId) conversation.open(current.conversationId);
          connectSocket();
        });
        return () => {
          transport.close();
          loader.dispose();
          alerts.reset();
          connected.value = false;
          everConnected.value = false;
          inbox.reset();
          conversation.reset();
          routing.reset();
        };
      });
      // the unread count leads the tab's title: mine and unassigned for agents, everything for admins
      const stopTitle = effect(() => {
        const counts = inbox.counts.value;
        const admin = session.agent.value?.role === 'admin';
        const unread = counts ? (admin ? counts.all.unread : counts.mine.unread + counts.unassigned.unread) : inbox.unread.value.size;
        document.title = titleWith(session.state.value === 'signedIn' ? unread : 0);
      });
      // reading: an open conversation in a visible tab is seen up to its last message
      const stopReading = effect(() => {
        const id = conversation.openId.value;
        const list = conversation.messages.value;
        const last = list[list.length - 1];
        if (id && last && visible.value) untracked(() => loader.read(id, last.seq));
      });
      const onVisibility = (): void => {
        visible.value = document.visibilityState === 'visible';
      };
      const onPop = (): void => {
        const next = routeFrom(window.location);
        route.value = next;
        if (next.name === 'inbox' && conversation.openId.peek() !== next.conversationId) conversation.open(next.conversationId);
      };
      document.addEventListener('visibilitychange', onVisibility);
      window.addEventListener('popstate', onPop);
      return () => {
        stop();
        stopTitle();
        stopReading();
        document.removeEventListener('visibilitychange', onVisibility);
        window.removeEventListener('popstate', onPop);
      };
    },
  };
}
