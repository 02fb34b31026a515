import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import type { AgentSummary } from '../../../../protocol/src/index';
import type { ConsoleModel } from '../../models/console';
import type { AgentInput } from '../../routing-api';
import { splitList as list } from '../../lib/lists';
import { AdminPage } from '../admin/AdminPage';
import { InviteAgents } from './InviteAgents';


/** The form fields shared by creating and editing an agent. */
function AgentFields({ prefix, agent, teams }: { prefix: string; agent?: AgentSummary; teams: { id: string; name: string }[] }): JSX.Element {
  return (
    <>
      <label class="field">
        <span>Languages</span>
        <input name="languages" id={`${prefix}-languages`} placeholder="en, es" defaultValue={agent?.languages.join(', ') ?? ''} />
      </label>
      <label class="field">
        <span>Capacity</span>
        <input
          name="capacity"
          type="number"
          min={1}
          max={100}
          step={1}
          placeholder={agent && agent.ownCapacity === null ? `${agent.capacity} (default)` : 'default'}
          defaultValue={agent?.ownCapacity ? String(agent.ownCapacity) : ''}
          aria-describedby={`${prefix}-capacity-hint`}
        />
        <span class="hint" id={`${prefix}-capacity-hint`}>
          Empty: the configured, team or global default.
        </span>
      </label>
      <fieldset class="field team-boxes">
        <legend>Teams</legend>
        {teams.map((t) => (
          <label key={t.id} class="check">
            <input type="checkbox" name="teams" value={t.id} defaultChecked={agent?.teams.includes(t.id) ?? false} /> {t.name}
          </label>
        ))}
      </fieldset>
    </>
  );
}

// editing: an empty capacity sends null (back to the default) rather than pinning the one shown
function readForm(form: HTMLFormElement, editing: boolean): AgentInput {
  const data = new FormData(form);
  const text = (k: string) => String(data.get(k) ?? '').trim();
  const input: AgentInput = { teams: data.getAll('teams').map(String) };
  if (list(text('languages')).length > 0) input.languages = list(text('languages'));
  if (text('capacity')) input.capacity = Number(text('capacity'));
  else if (editing) input.capacity = null;
  for (const k of ['email', 'name', 'password'] as const) if (text(k)) input[k] = text(k);
  if (text('role')) input.role = text('role') as 'admin' | 'agent';
  return input;
}

/** Admins: the agents with languages, capacity, teams and load; create one, or change one. */
export function AgentsScreen({ model }: { model: ConsoleModel }): JSX.Element {
  const { routing } = model;
  const editing = useSignal<string | null>(null);
  const me = model.session.agent.value?.id;
  const teams = routing.teams.value;
  const missing = teams.flatMap((t) => t.members).filter((email, i, all) => all.indexOf(email) === i && !routing.agents.value.some((a) => a.email === email));

  return (
    <AdminPage model={model} title="Agents" adminsOnly="Only admins manage agents.">
            <>
              {routing.notice.value && (
                <p role="status" class="admin-notice">
                  {routing.notice.value}
                </p>
              )}
              {routing.error.value && (
                <p role="alert" class="form-alert">
                  {routing.error.value}
                </p>
              )}
              <table class="agents-table">
                <caption class="visually-hidden">Agents</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Presence</th>
                    <th scope="col">Languages</th>
                    <th scope="col">Load</th>
                    <th scope="col">Teams</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {routing.agents.value.map((a) => (
                    <tr key={a.id} class={a.active ? undefined : 'inactive'}>
                      <td>
                        <strong>{a.name}</strong>
                        {a.role === 'admin' && <span class="badge">Admin</span>}
                        {!a.active && <span class="badge">Deactivated</span>}
                        <br />
                        <span class="muted">{a.email}</span>
                      </td>
                      <td>
                        <span class={`presence-label presence-${a.presence}`}>{a.presence}</span>
                      </td>
                      <td>{a.languages.join(', ') || '—'}</td>
                      <td>
                        {a.load} / {a.capacity}
                      </td>
                      <td>{a.teams.map((t) => routing.teamName(t)).join(', ') || '—'}</td>
                      <td>
                        <button type="button" class="button" onClick={() => (editing.value = editing.value === a.id ? null : a.id)}>
                          {editing.value === a.id ? 'Cancel' : 'Edit'}
                        </button>{' '}
                        {a.id !== me && (
                          <button
                            type="button"
                            class="button"
                            aria-label={`${a.active ? 'Deactivate' : 'Reactivate'} ${a.name}`}
                            disabled={routing.busy.value}
                            onClick={() => {
                              // deactivating signs them out everywhere at once: ask first
                              if (a.active && !confirm(`Deactivate ${a.name}? They are signed out at once and can no longer sign in; their conversations go back to the queue.`)) return;
                              void routing.updateAgent(a.id, { active: !a.active });
                            }}
                          >
                            {a.active ? 'Deactivate' : 'Reactivate'}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {editing.value && (
                <form
                  key={editing.value}
                  class="agent-form"
                  aria-label="Edit agent"
                  onSubmit={async (e) => {
                    e.preventDefault();
                    if (await routing.updateAgent(editing.value as string, readForm(e.currentTarget, true))) editing.value = null;
                  }}
                >
                  <h2>Edit {routing.agentName(editing.value)}</h2>
                  <AgentFields prefix="edit" agent={routing.agents.value.find((a) => a.id === editing.value)} teams={teams} />
                  <label class="field">
                    <span>New password</span>
                    <input name="password" type="password" minLength={10} autoComplete="new-password" placeholder="unchanged" />
                  </label>
                  <button type="submit" class="button primary" disabled={routing.busy.value}>
                    Save
                  </button>
                </form>
              )}
              <form
                class="agent-form"
                aria-labelledby="new-agent"
                onSubmit={async (e) => {
                  e.preventDefault();
                  const form = e.currentTarget;
                  if (await routing.createAgent(readForm(form, false))) form.reset();
                }}
              >
                <h2 id="new-agent">Add an agent</h2>
                {missing.length > 0 && <p class="muted">The config names these members without an account yet: {missing.join(', ')}.</p>}
                <label class="field">
                  <span>Name</span>
                  <input name="name" required maxLength={100} />
                </label>
                <label class="field">
                  <span>Email</span>
                  <input name="email" type="email" required maxLength={254} />
                </label>
                <label class="field">
                  <span>Initial password</span>
                  <input name="password" type="password" required minLength={10} autoComplete="new-password" />
                  <span class="hint">At least 10 characters; tell the agent in person.</span>
                </label>
                <label class="field">
                  <span>Role</span>
                  <select name="role">
                    <option value="agent">Agent</option>
                    <option value="admin">Admin</option>
                  </select>
                </label>
                <AgentFields prefix="new" teams={teams} />
                <button type="submit" class="button primary" disabled={routing.busy.value}>
                  Add agent
                </button>
              </form>
              <InviteAgents />
            </>
    </AdminPage>
  );
}
