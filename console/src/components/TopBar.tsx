import type { JSX } from 'preact';
import type { ConsoleModel } from '../models/console';
import { PresenceSwitch } from './routing/PresenceSwitch';

type AdminPage = 'agents' | 'autoReplies' | 'survey';

const ADMIN_LINKS: { to: AdminPage; href: string; label: string }[] = [
  { to: 'agents', href: '/console/agents', label: 'Agents' },
  { to: 'autoReplies', href: '/console/auto-replies', label: 'Auto-replies' },
  { to: 'survey', href: '/console/survey', label: 'Survey' },
];

/** The header: product name, admin navigation, connection state, alerts, the agent and sign-out. */
export function TopBar({ model, onShortcuts }: { model: ConsoleModel; onShortcuts?(): void }): JSX.Element {
  const agent = model.session.agent.value;
  const down = !model.connected.value;
  const route = model.route.value.name;
  const { alerts } = model;
  return (
    <header class="topbar">
      <a
        class="brand"
        href="/console"
        aria-current={route === 'inbox' ? 'page' : undefined}
        onClick={(e) => {
          e.preventDefault();
          model.navigate('inbox');
        }}
      >
        <span class="brand-mark" aria-hidden="true">P</span> Parley
      </a>
      {agent?.role === 'admin' && (
        <nav class="admin-nav" aria-label="Administration">
          {ADMIN_LINKS.map((l) => (
            <a
              key={l.to}
              href={l.href}
              class="nav-link"
              aria-current={route === l.to ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                model.navigate(l.to);
              }}
            >
              {l.label}
            </a>
          ))}
        </nav>
      )}
      <div role="status" class="connection">
        {down && (
          <span class="reconnecting">
            <span class="spinner" aria-hidden="true" />
            {model.everConnected.value ? 'Reconnecting…' : 'Connecting…'}
          </span>
        )}
      </div>
      <div class="me">
        {agent && alerts.permission.value === 'default' && (
          <button type="button" class="button quiet" onClick={() => void alerts.enableNotifications()}>
            Enable notifications
          </button>
        )}
        {agent && (
          <button type="button" class="button quiet icon" aria-label="Mute sounds" aria-pressed={alerts.muted.value} title={alerts.muted.value ? 'Sounds are muted' : 'Sounds are on'} onClick={() => alerts.toggleMute()}>
            <span aria-hidden="true">{alerts.muted.value ? '🔕' : '🔔'}</span>
          </button>
        )}
        {agent && onShortcuts && (
          <button type="button" class="button quiet icon" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={onShortcuts}>
            <span aria-hidden="true">?</span>
          </button>
        )}
        {agent && <PresenceSwitch routing={model.routing} />}
        {agent && (
          <span class="me-name">
            {agent.name}
            {agent.role === 'admin' && <span class="badge">Admin</span>}
          </span>
        )}
        <button type="button" class="button" onClick={() => void model.session.signOut()} disabled={model.session.busy.value}>
          Sign out
        </button>
      </div>
    </header>
  );
}
