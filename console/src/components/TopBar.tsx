import type { JSX } from 'preact';
import type { ConsoleModel } from '../models/console';
import { PresenceSwitch } from './routing/PresenceSwitch';

/** The header: product name, connection state, the agent and sign-out. */
export function TopBar({ model }: { model: ConsoleModel }): JSX.Element {
  const agent = model.session.agent.value;
  const down = !model.connected.value;
  return (
    <header class="topbar">
      <p class="brand">
        <span class="brand-mark" aria-hidden="true">P</span> Parley
      </p>
      <div role="status" class="connection">
        {down && (
          <span class="reconnecting">
            <span class="spinner" aria-hidden="true" />
            {model.everConnected.value ? 'Reconnecting…' : 'Connecting…'}
          </span>
        )}
      </div>
      <div class="me">
        {agent?.role === 'admin' && (
          <a
            href="/console/agents"
            class="button"
            aria-current={model.route.value.name === 'agents' ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              model.navigate('agents');
            }}
          >
            Agents
          </a>
        )}
        {agent?.role === 'admin' && (
          <a
            href="/console/auto-replies"
            class="button"
            aria-current={model.route.value.name === 'autoReplies' ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              model.navigate('autoReplies');
            }}
          >
            Auto-replies
          </a>
        )}
        {agent?.role === 'admin' && (
          <a
            href="/console/survey"
            class="button"
            aria-current={model.route.value.name === 'survey' ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              model.navigate('survey');
            }}
          >
            Survey
          </a>
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
