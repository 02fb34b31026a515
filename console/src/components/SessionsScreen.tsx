import { useEffect, useMemo } from 'preact/hooks';
import type { JSX } from 'preact';
import type { ConsoleModel } from '../models/console';
import { browserOf, createSessionsModel } from '../models/sessions';
import { AdminPage } from './admin/AdminPage';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');

/** Every agent: the browsers signed in with their account, and a way to sign any of them out. */
export function SessionsScreen({ model }: { model: ConsoleModel }): JSX.Element {
  const sessions = useMemo(() => createSessionsModel(), []);
  useEffect(() => void sessions.load(), [sessions]);
  const list = sessions.sessions.value;
  return (
    <AdminPage model={model} title="Where you are signed in">
      <p class="muted">Sign out a browser you do not recognise or no longer use: its console tabs disconnect at once. Sessions end by themselves after 30 days.</p>
      {sessions.error.value && (
        <p role="alert" class="form-alert">
          {sessions.error.value}
        </p>
      )}
      {list === null ? (
        <p role="status">Loading…</p>
      ) : (
        <table class="agents-table">
          <caption class="visually-hidden">Sessions</caption>
          <thead>
            <tr>
              <th scope="col">Browser</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id}>
                <td title={s.userAgent ?? undefined}>
                  {browserOf(s.userAgent)}
                  {s.current && <span class="badge">This browser</span>}
                </td>
                <td>{when(s.createdAt)}</td>
                <td>{when(s.lastUsedAt)}</td>
                <td>
                  {s.current ? (
                    <button type="button" class="button" onClick={() => void model.session.signOut()}>
                      Sign out
                    </button>
                  ) : (
                    <button type="button" class="button" disabled={sessions.busy.value} aria-label={`Sign out ${browserOf(s.userAgent)}, signed in ${when(s.createdAt)}`} onClick={() => void sessions.end(s.id)}>
                      Sign out
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminPage>
  );
}
