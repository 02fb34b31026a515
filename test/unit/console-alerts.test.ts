import { describe, expect, it, vi } from 'vitest';
import { alertFor, concernsAgent, createAlertsModel, titleWith, type AlertEnv } from '../../console/src/models/alerts';
import type { ConversationSummary } from '../../protocol/src/index';

const NOW = Date.parse('2026-01-01T10:00:30.000Z');
const agent = { me: 'a1', admin: false, teams: ['billing'] };

function conv(over: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id: 'c1',
    siteId: 'demo',
    status: 'open',
    contact: { id: 'k1', siteId: 'demo', name: '<b>Mia</b>', email: null, phone: null, language: 'en', createdAt: '2026-01-01T00:00:00.000Z' },
    inquiryType: null,
    assigneeId: null,
    lastSeq: 1,
    lastMessage: { text: 'Hello there', authorType: 'visitor', authorName: 'Mia', authorId: null, createdAt: '2026-01-01T10:00:00.000Z' },
    lastVisitorSeq: 1,
    awaiting: 'agent',
    labels: [],
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:00.000Z',
    rating: null,
    ...over,
  };
}

function fakeEnv(hidden = true, permission: NotificationPermission = 'granted') {
  const store = new Map<string, string>();
  const shown: { title: string; body: string; onClick(): void }[] = [];
  let beeps = 0;
  const env: AlertEnv = {
    hidden: () => hidden,
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
    notifications: {
      permission: () => permission,
      request: async () => 'granted',
      show: (title, body, _tag, onClick) => void shown.push({ title, body, onClick }),
    },
    beep: () => void beeps++,
  };
  return { env, store, shown, beeps: () => beeps };
}

describe('what concerns an agent', () => {
  it('is their own conversations and unassigned ones of their teams; admins hear everything', () => {
    expect(concernsAgent(conv({ assigneeId: 'a1' }), agent)).toBe(true);
    expect(concernsAgent(conv({ assigneeId: 'a2' }), agent)).toBe(false);
    expect(concernsAgent(conv({ routing: { teamId: 'billing', priority: 1, rule: null, reason: null, queuedAt: null } }), agent)).toBe(true);
    expect(concernsAgent(conv({ routing: { teamId: 'shipping', priority: 1, rule: null, reason: null, queuedAt: null } }), agent)).toBe(false);
    expect(concernsAgent(conv({ assigneeId: 'a2' }), { ...agent, admin: true })).toBe(true);
  });

  it('alerts for a new conversation and for a new visitor message, not for agents, bots or old news', () => {
    expect(alertFor(conv(), undefined, agent, NOW)).toBe('conversation');
    expect(alertFor(conv({ lastVisitorSeq: 2 }), 1, agent, NOW)).toBe('message');
    expect(alertFor(conv(), 1, agent, NOW)).toBeNull();
    const bot = conv({ lastMessage: { text: 'away', authorType: 'bot', authorName: 'Bot', authorId: null, createdAt: '2026-01-01T10:00:00.000Z' } });
    expect(alertFor(bot, undefined, agent, NOW)).toBeNull();
    expect(alertFor(conv({ status: 'closed' }), undefined, agent, NOW)).toBeNull();
    expect(alertFor(conv(), undefined, agent, NOW + 10 * 60_000)).toBeNull();
  });

  it('puts the unread count before the title', () => {
    expect(titleWith(3)).toBe('(3) Parley console');
    expect(titleWith(0)).toBe('Parley console');
  });
});

describe('alerts model', () => {
  it('notifies and chimes when the tab is hidden, once per new visitor message', () => {
    const f = fakeEnv();
    const alerts = createAlertsModel(f.env);
    const open = vi.fn();
    vi.setSystemTime(NOW);
    expect(alerts.consider(conv(), agent, open)).toBe('conversation');
    expect(alerts.consider(conv(), agent, open)).toBeNull();
    expect(f.shown).toHaveLength(1);
    // the visitor's chosen name travels as plain text in the title, never as markup
    expect(f.shown[0]!.title).toBe('New chat from <b>Mia</b>');
    expect(f.beeps()).toBe(1);
    f.shown[0]!.onClick();
    expect(open).toHaveBeenCalledWith('c1');
    vi.useRealTimers();
  });

  it('stays quiet while the tab is visible and for conversations already listed', () => {
    const visible = fakeEnv(false);
    const alerts = createAlertsModel(visible.env);
    expect(alerts.consider(conv({ lastVisitorSeq: 3, lastMessage: { text: 'x', authorType: 'visitor', authorName: null, authorId: null, createdAt: new Date().toISOString() } }), agent, () => {})).toBeNull();
    expect(visible.beeps()).toBe(0);
    const hidden = fakeEnv(true);
    const listed = createAlertsModel(hidden.env);
    listed.know([conv({ lastVisitorSeq: 4 })]);
    expect(listed.consider(conv({ lastVisitorSeq: 4 }), agent, () => {})).toBeNull();
  });

  it('remembers the mute switch and then only notifies; no notification without permission', () => {
    const f = fakeEnv(true, 'default');
    const alerts = createAlertsModel(f.env);
    alerts.toggleMute();
    expect(f.store.get('parley:console:muted')).toBe('1');
    expect(createAlertsModel(f.env).muted.value).toBe(true);
    vi.setSystemTime(NOW);
    expect(alerts.consider(conv(), agent, () => {})).toBe('conversation');
    expect(f.beeps()).toBe(0);
    expect(f.shown).toHaveLength(0);
    vi.useRealTimers();
  });

  it('asks for permission when the agent enables notifications', async () => {
    const f = fakeEnv(true, 'default');
    const alerts = createAlertsModel(f.env);
    expect(alerts.permission.value).toBe('default');
    await alerts.enableNotifications();
    expect(alerts.permission.value).toBe('granted');
  });
});
