import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { AgentInvite } from '../../../../protocol/src/index';
import { ApiError, request } from '../../api';

const when = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });

/** Admins invite an agent by a one-time link (valid 7 days) they pass on themselves; pending links can be revoked. */
export function InviteAgents(): JSX.Element {
  const invites = useSignal<AgentInvite[]>([]);
  const link = useSignal<{ email: string; url: string } | null>(null);
  const error = useSignal<string | null>(null);
  const copied = useSignal(false);
  const busy = useSignal(false);
  const load = () =>
    request<{ invites: AgentInvite[] }>('/api/v1', 'GET', '/agents/invites').then(
      (r) => (invites.value = r.invites),
      () => undefined,
    );
  useEffect(() => void load(), []);
  const failed = (e: unknown) => {
    const issue = e instanceof ApiError ? e.issues[0] : undefined;
    error.value = issue ? issue.message : e instanceof Error ? e.message : 'That did not work.';
  };

  return (
    <section class="agent-form" aria-labelledby="invite-agent">
      <h2 id="invite-agent">Invite by link</h2>
      <p class="muted">The person opens the link, picks their name and password, and is signed in. It works once, for 7 days.</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          busy.value = true;
          error.value = null;
          copied.value = false;
          try {
            const made = await request<{ invite: AgentInvite; link: string }>('/api/v1', 'POST', '/agents/invites', { email: String(data.get('email') ?? '').trim(), role: String(data.get('role') ?? 'agent') });
            link.value = { email: made.invite.email, url: `${location.origin}${made.link}` };
            form.reset();
            await load();
          } catch (err) {
            failed(err);
          } finally {
            busy.value = false;
          }
        }}
        noValidate
      >
        {error.value && (
          <p role="alert" class="form-alert">
            {error.value}
          </p>
        )}
        <label class="field">
          <span>Email</span>
          <input name="email" type="email" required maxLength={254} />
        </label>
        <label class="field">
          <span>Role</span>
          <select name="role">
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <button type="submit" class="button primary" disabled={busy.value}>
          Make an invitation link
        </button>
      </form>
      {link.value && (
        <div class="invite-link" role="status">
          <label class="field">
            <span>Link for {link.value.email} (shown this once)</span>
            <input readOnly value={link.value.url} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <button
            type="button"
            class="button"
            onClick={() =>
              navigator.clipboard?.writeText(link.value!.url).then(
                () => (copied.value = true),
                () => (copied.value = false),
              )
            }
          >
            {copied.value ? 'Copied' : 'Copy link'}
          </button>
        </div>
      )}
      {invites.value.length > 0 && (
        <table class="agents-table">
          <caption>Pending invitations</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Works until</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invites.value.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>{i.role === 'admin' ? 'Admin' : 'Agent'}</td>
                <td>{when(i.expiresAt)}</td>
                <td>
                  <button
                    type="button"
                    class="button"
                    aria-label={`Revoke the invitation of ${i.email}`}
                    onClick={async () => {
                      await request('/api/v1', 'DELETE', `/agents/invites/${encodeURIComponent(i.id)}`).catch(failed);
                      await load();
                    }}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
