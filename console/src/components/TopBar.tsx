import type { JSX } from 'preact';
import type { ConsoleModel } from '../models/console';

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
