import { signal, type ReadonlySignal } from '@preact/signals';
import type { ConversationSummary } from '../../../protocol/src/index';

const MUTE_KEY = 'parley:console:muted';
const TITLE = 'Parley console';

/** Who the signed-in agent is, for deciding what concerns them. */
export interface AlertAudience {
  me: string | null;
  admin: boolean;
  /** Ids of the agent's teams. */
  teams: readonly string[];
}

/** What an update is worth an alert for. */
export type AlertKind = 'conversation' | 'message';

/**
 * Whether a conversation concerns the agent: assigned to them, or waiting
 * for anyone in one of their teams (or in no team). Admins hear about every
 * conversation, since they watch the whole inbox.
 */
export function concernsAgent(c: ConversationSummary, who: AlertAudience): boolean {
  if (who.admin) return true;
  if (c.assigneeId !== null) return c.assigneeId === who.me;
  const team = c.routing?.teamId ?? null;
  return team === null || who.teams.includes(team);
}

/**
 * The alert a live update deserves: a new conversation or a new visitor
 * message that concerns the agent; nothing for agents' and bots' messages or
 * for other changes. `knownVisitorSeq` is the last visitor seq the console
 * already knew of (undefined for a conversation it never saw).
 */
export function alertFor(c: ConversationSummary, knownVisitorSeq: number | undefined, who: AlertAudience, nowMs: number): AlertKind | null {
  if (c.status !== 'open' || c.lastMessage?.authorType !== 'visitor') return null;
  if (c.lastVisitorSeq <= (knownVisitorSeq ?? 0)) return null;
  if (!concernsAgent(c, who)) return null;
  if (knownVisitorSeq === undefined) {
    // an old conversation that merely changed (reassigned, reopened) is not news
    return nowMs - Date.parse(c.lastMessage.createdAt) < 120_000 ? 'conversation' : null;
  }
  return 'message';
}

/** The tab's title with the unread count first. */
export function titleWith(unread: number): string {
  return unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
}

/** Browser features the alerts use; real ones by default, fakes in tests. */
export interface AlertEnv {
  hidden(): boolean;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  notifications: {
    permission(): NotificationPermission | 'unsupported';
    request(): Promise<NotificationPermission>;
    show(title: string, body: string, tag: string, onClick: () => void): void;
  };
  beep(): void;
}

/** Notification, sound and title alerts for a hidden console tab. */
export interface AlertsModel {
  muted: ReadonlySignal<boolean>;
  permission: ReadonlySignal<NotificationPermission | 'unsupported'>;
  toggleMute(): void;
  /** Asks the browser for permission to notify. */
  enableNotifications(): Promise<void>;
  /** Remembers what a listed conversation already held, so listing it never alerts. */
  know(conversations: readonly ConversationSummary[]): void;
  /** Looks at a live update and alerts when the tab is hidden and it concerns the agent. Returns what it alerted for. */
  consider(c: ConversationSummary, who: AlertAudience, open: (id: string) => void): AlertKind | null;
  reset(): void;
}

/** A short two-tone chime made with WebAudio (no audio file to download). */
function chime(): void {
  const Ctx = (window as unknown as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!Ctx) return;
  try {
    const ctx = new Ctx();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    const t = ctx.currentTime;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.35);
    for (const [freq, at] of [[880, 0], [1175, 0.12]] as const) {
      const osc = ctx.createOscillator();
      osc.type = 'sine';
      osc.frequency.value = freq;
      osc.connect(gain);
      osc.start(t + at);
      osc.stop(t + at + 0.22);
    }
    setTimeout(() => void ctx.close(), 600);
  } catch {
    // audio blocked until the page had a gesture: the notification and title still tell
  }
}

/** The browser's own features. */
export function browserAlertEnv(): AlertEnv {
  const N = typeof Notification === 'undefined' ? null : Notification;
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  return {
    hidden: () => document.visibilityState === 'hidden',
    storage,
    notifications: {
      permission: () => (N ? N.permission : 'unsupported'),
      request: () => (N ? N.requestPermission() : Promise.resolve('denied')),
      show(title, body, tag, onClick) {
        if (!N) return;
        const n = new N(title, { body, tag });
        n.onclick = () => {
          window.focus();
          onClick();
          n.close();
        };
      },
    },
    beep: chime,
  };
}

/** Builds the alerts model. */
export function createAlertsModel(env: AlertEnv = browserAlertEnv()): AlertsModel {
  const muted = signal(env.storage?.getItem(MUTE_KEY) === '1');
  const permission = signal(env.notifications.permission());
  const known = new Map<string, number>();

  return {
    muted,
    permission,
    toggleMute() {
      muted.value = !muted.value;
      try {
        env.storage?.setItem(MUTE_KEY, muted.value ? '1' : '0');
      } catch {
        // storage blocked: the choice lasts for this tab
      }
    },
    async enableNotifications() {
      try {
        permission.value = await env.notifications.request();
      } catch {
        permission.value = env.notifications.permission();
      }
    },
    know(list) {
      for (const c of list) known.set(c.id, Math.max(known.get(c.id) ?? 0, c.lastVisitorSeq ?? 0));
    },
    consider(c, who, open) {
      const kind = alertFor(c, known.get(c.id), who, Date.now());
      known.set(c.id, Math.max(known.get(c.id) ?? 0, c.lastVisitorSeq ?? 0));
      if (!kind || !env.hidden()) return null;
      if (permission.peek() === 'granted') {
        const name = c.contact.name?.trim() || c.contact.email || 'A visitor';
        env.notifications.show(kind === 'conversation' ? `New chat from ${name}` : `${name} wrote`, c.lastMessage?.text.slice(0, 140) ?? '', `parley-${c.id}`, () => open(c.id));
      }
      if (!muted.peek()) env.beep();
      return kind;
    },
    reset() {
      known.clear();
    },
  };
}
