import type { JSX } from 'preact';
import { ADMIN_PATHS, type AdminScreen, type ConsoleModel } from '../models/console';
import { PresenceSwitch } from './routing/PresenceSwitch';

// `all`: every agent sees it (their own figures); the others are for admins
const ADMIN_LINKS: { to: AdminScreen; href: string; label: string; all?: true }[] = [
  { to: 'reports', href: ADMIN_PATHS.reports, label: 'Reports', all: true },
  { to: 'agents', href: ADMIN_PATHS.agents, label: 'Agents' },
  { to: 'autoReplies', href: ADMIN_PATHS.autoReplies, label: 'Auto-replies' },
  { to: 'survey', href: ADMIN_PATHS.survey, label: 'Survey' },
  { to: 'labels', href: ADMIN_PATHS.labels, label: 'Labels' },
  { to: 'integrations', href: ADMIN_PATHS.integrations, label: 'Integrations' },
  { to: 'audit', href: ADMIN_PATHS.audit, label: 'Audit log' },
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
      {agent && (
        <nav class="admin-nav" aria-label="Administration">
          {ADMIN_LINKS.filter((l) => l.all || agent.role === 'admin').map((l) => (
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
            <BellIcon muted={alerts.muted.value} />
          </button>
        )}
        {agent && onShortcuts && (
          <button type="button" class="button quiet icon" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={onShortcuts}>
            <span aria-hidden="true">?</span>
          </button>
        )}
        {agent && <PresenceSwitch routing={model.routing} />}
        {agent && (
          <a
            class="me-name"
            href="/console/sessions"
            title="Where you are signed in"
            aria-current={route === 'sessions' ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              model.navigate('sessions');
            }}
          >
            {agent.name}
            {agent.role === 'admin' && <span class="badge">Admin</span>}
          </a>
        )}
        <button type="button" class="button" onClick={() => void model.session.signOut()} disabled={model.session.busy.value}>
          Sign out
        </button>
      </div>
    </header>
  );
}

/** A bell, struck through when sounds are muted (drawn, so it needs no emoji font). */
function BellIcon({ muted }: { muted: boolean }): JSX.Element {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      {muted && <path d="M3 3l18 18" />}
    </svg>
  );
}
