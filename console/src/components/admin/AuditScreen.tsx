import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { AuditEntry } from '../../../../protocol/src/console';
import { ApiError, request } from '../../api';
import type { ConsoleModel } from '../../models/console';
import { AdminPage } from './AdminPage';


/** What each action means, in words; an action not listed shows as it is stored. */
const ACTIONS: Record<string, string> = {
  'agent.created': 'Added an agent',
  'agent.updated': 'Changed an agent',
  'agent.role': 'Changed an agent’s role',
  'agent.password': 'Reset an agent’s password',
  'agent.deactivate': 'Deactivated an agent',
  'agent.reactivate': 'Reactivated an agent',
  'label.created': 'Added a label',
  'label.updated': 'Changed a label',
  'label.deleted': 'Removed a label',
  'auto_replies.saved': 'Saved auto-replies',
  'auto_replies.reset': 'Put auto-replies back to the file',
  'site.saved': 'Saved a site’s survey and looks',
  'site.reset': 'Put a site back to the file',
  'api_key.created': 'Made an API key',
  'api_key.revoked': 'Revoked an API key',
  'webhook.created': 'Added a webhook',
  'webhook.updated': 'Changed a webhook',
  'webhook.deleted': 'Deleted a webhook',
  'webhook.resent': 'Resent a webhook delivery',
  'webhook.disabled': 'A failing webhook was disabled',
  'contact.export': 'Exported a contact’s data',
  'contact.erase': 'Erased a contact',
  'contact.erase.visitor': 'A visitor deleted their data',
  'retention.purge': 'Old conversations were deleted',
};
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
/** A detail as plain `key: value` text (never markup). */
const details = (detail: Record<string, unknown> | null): string =>
  detail ? Object.entries(detail).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ') : '';

/** Admins: who changed what, and when, newest first (the latest 200). */
export function AuditScreen({ model }: { model: ConsoleModel }): JSX.Element {
  const entries = useSignal<AuditEntry[] | null>(null);
  const error = useSignal<string | null>(null);
  const filter = useSignal('');
  useEffect(() => {
    request<{ entries: AuditEntry[] }>('/api/v1', 'GET', '/audit?limit=200').then(
      (r) => (entries.value = r.entries),
      (e: unknown) => (error.value = e instanceof ApiError || e instanceof Error ? e.message : 'The audit log could not be loaded.'),
    );
  }, []);
  const q = filter.value.trim().toLowerCase();
  const shown = (entries.value ?? []).filter((e) => !q || [e.actorName, e.action, ACTIONS[e.action], e.target, details(e.detail)].some((t) => t?.toLowerCase().includes(q)));
  return (
    <AdminPage model={model} title="Audit log">
      <p class="muted">Every change an admin makes to settings, agents, labels, keys and webhooks, and every export and erasure of personal data, with who made it and when. The latest 200.</p>
      <label class="field">
        Filter
        <input type="search" value={filter.value} onInput={(e) => (filter.value = e.currentTarget.value)} placeholder="A name, an action, a label…" />
      </label>
      {error.value && (
        <p role="alert" class="form-alert">
          {error.value}
        </p>
      )}
      {entries.value === null && !error.value ? (
        <p role="status">Loading…</p>
      ) : (
        <table class="admin-table">
          <caption class="visually-hidden">Audit log</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">On</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.createdAt}>{when(e.createdAt)}</time>
                </td>
                <td>
                  <bdi>{e.actorName ?? (e.actorId ? e.actorId : 'Parley')}</bdi>
                </td>
                <td title={e.action}>{ACTIONS[e.action] ?? e.action}</td>
                <td>
                  <bdi>{e.target ?? '—'}</bdi>
                </td>
                <td class="audit-detail">{details(e.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.value && shown.length === 0 && <p class="muted">Nothing matches.</p>}
    </AdminPage>
  );
}
