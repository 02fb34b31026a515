import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect, useMemo } from 'preact/hooks';
import type { ApiKey, ApiKeyScope } from '../../../../protocol/src/api-keys';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from '../../../../protocol/src/webhooks';
import type { ConsoleModel } from '../../models/console';
import { type IntegrationsModel, createIntegrationsModel } from '../../models/integrations';
import { AdminPage } from './AdminPage';

const SCOPES: { scope: ApiKeyScope; label: string }[] = [
  { scope: 'read', label: 'Read (GET)' },
  { scope: 'write', label: 'Write (change conversations, contacts…)' },
  { scope: 'admin', label: 'Admin (webhooks, agents, settings)' },
];

const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '—');

/** Admins connect Parley to their systems: API keys for programs that call Parley, webhooks for programs Parley calls. */
export function IntegrationsScreen({ model }: { model: ConsoleModel }): JSX.Element {
  const m = useMemo(() => createIntegrationsModel(), []);
  useEffect(() => void m.load(), [m]);
  return (
    <AdminPage model={model} title="Integrations" adminsOnly="Only admins may manage API keys and webhooks.">
      <p class="muted">
        Programs call Parley's REST API with an API key (<a href="/api/docs">reference</a>); Parley calls yours with signed webhooks (Standard Webhooks).
      </p>
      <p class="visually-hidden" role="status">
        {m.status.value}
      </p>
      {m.error.value && (
        <p class="form-alert" role="alert">
          {m.error.value.message}
        </p>
      )}
      {m.revealed.value && <Revealed model={m} />}
      {m.loading.value ? (
        <p role="status">Loading…</p>
      ) : (
        <>
          <ApiKeys model={m} />
          <Webhooks model={m} />
        </>
      )}
    </AdminPage>
  );
}

/** A key or a signing secret, shown this once. */
function Revealed({ model }: { model: IntegrationsModel }): JSX.Element {
  const shown = model.revealed.value!;
  return (
    <section class="reveal" aria-labelledby="reveal-title" role="alert">
      <h2 id="reveal-title">{shown.what}</h2>
      <p>Copy it now: it is not shown again.</p>
      <input class="secret" readOnly aria-label={shown.what} value={shown.value} onFocus={(e) => e.currentTarget.select()} />
      <p>
        <button type="button" class="button small" onClick={() => void navigator.clipboard?.writeText(shown.value)}>
          Copy
        </button>{' '}
        <button type="button" class="button small" onClick={() => model.dismiss()}>
          Done
        </button>
      </p>
    </section>
  );
}

function ApiKeys({ model }: { model: IntegrationsModel }): JSX.Element {
  const name = useSignal('');
  const scopes = useSignal<ApiKeyScope[]>(['read']);
  const toggle = (s: ApiKeyScope, on: boolean) => (scopes.value = on ? [...scopes.value, s] : scopes.value.filter((x) => x !== s));
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {model.keys.value.length === 0 ? (
        <p class="muted">No API keys yet.</p>
      ) : (
        <table class="admin-table">
          <caption class="visually-hidden">API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Scopes</th>
              <th scope="col">Made by</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {model.keys.value.map((k) => (
              <KeyRow key={k.id} apiKey={k} onRevoke={() => model.revokeKey(k)} />
            ))}
          </tbody>
        </table>
      )}
      <form
        class="admin-form"
        aria-label="New API key"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await model.createKey(name.value, scopes.value)) name.value = '';
        }}
      >
        <label>
          Name
          <input required maxLength={100} value={name.value} aria-invalid={model.error.value?.field === 'name'} onInput={(e) => (name.value = e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map(({ scope, label }) => (
            <label key={scope} class="check">
              <input type="checkbox" checked={scopes.value.includes(scope)} onChange={(e) => toggle(scope, e.currentTarget.checked)} /> {label}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="button primary">
          Make API key
        </button>
      </form>
    </section>
  );
}

function KeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke(): Promise<boolean> }): JSX.Element {
  return (
    <tr class={apiKey.revokedAt ? 'revoked' : undefined}>
      <td>
        <bdi>{apiKey.name}</bdi>
      </td>
      <td>
        <code>{apiKey.prefix}…</code>
      </td>
      <td>{apiKey.scopes.join(', ')}</td>
      <td>
        <bdi>{apiKey.agentName}</bdi>
      </td>
      <td>{apiKey.revokedAt ? `Revoked ${when(apiKey.revokedAt)}` : when(apiKey.lastUsedAt)}</td>
      <td>
        {!apiKey.revokedAt && (
          <button
            type="button"
            class="button small"
            aria-label={`Revoke ${apiKey.name}`}
            onClick={() => {
              if (window.confirm(`Revoke the API key “${apiKey.name}”? Programs using it stop at once.`)) void onRevoke();
            }}
          >
            Revoke
          </button>
        )}
      </td>
    </tr>
  );
}

function Webhooks({ model }: { model: IntegrationsModel }): JSX.Element {
  const url = useSignal('');
  const description = useSignal('');
  const events = useSignal<WebhookEventType[]>([]);
  const allowPrivate = useSignal(false);
  const field = model.error.value?.field ?? '';
  return (
    <section aria-labelledby="hooks-title">
      <h2 id="hooks-title">Webhooks</h2>
      {model.endpoints.value.length === 0 ? (
        <p class="muted">No webhooks yet.</p>
      ) : (
        <ul class="hook-list" aria-label="Webhook endpoints">
          {model.endpoints.value.map((e) => (
            <EndpointRow key={e.id} endpoint={e} model={model} />
          ))}
        </ul>
      )}
      <form
        class="admin-form"
        aria-label="New webhook"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await model.createEndpoint({ url: url.value, events: events.value, description: description.value, allowPrivateNetwork: allowPrivate.value })) {
            url.value = '';
            description.value = '';
            events.value = [];
          }
        }}
      >
        <label>
          URL
          <input type="url" required placeholder="https://example.com/hooks/parley" value={url.value} aria-invalid={field === 'url'} onInput={(e) => (url.value = e.currentTarget.value)} />
        </label>
        <label>
          Description
          <input maxLength={200} value={description.value} onInput={(e) => (description.value = e.currentTarget.value)} />
        </label>
        <fieldset aria-invalid={field.startsWith('events')}>
          <legend>Events</legend>
          {model.eventTypes.value.map((t) => (
            <label key={t} class="check">
              <input type="checkbox" checked={events.value.includes(t)} onChange={(e) => (events.value = e.currentTarget.checked ? [...events.value, t] : events.value.filter((x) => x !== t))} />{' '}
              <code>{t}</code>
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input type="checkbox" checked={allowPrivate.value} onChange={(e) => (allowPrivate.value = e.currentTarget.checked)} /> Allow a private or local address (a receiver inside your network)
        </label>
        <button type="submit" class="button primary">
          Add webhook
        </button>
      </form>
    </section>
  );
}

function EndpointRow({ endpoint, model }: { endpoint: WebhookEndpoint; model: IntegrationsModel }): JSX.Element {
  const open = model.deliveries.value?.endpointId === endpoint.id;
  return (
    <li class="hook">
      <p>
        <code class="hook-url">{endpoint.url}</code> {endpoint.enabled ? <span class="badge ok">Enabled</span> : <span class="badge off">Disabled</span>}
      </p>
      {endpoint.description && (
        <p>
          <bdi>{endpoint.description}</bdi>
        </p>
      )}
      <p class="muted">{endpoint.events.join(', ')}</p>
      {endpoint.disabledReason && <p class="form-alert">{endpoint.disabledReason}</p>}
      {endpoint.enabled && endpoint.failingSince && <p class="form-alert">Failing since {when(endpoint.failingSince)}</p>}
      <p>
        <button type="button" class="button small" aria-expanded={open} onClick={() => void model.showDeliveries(endpoint)}>
          Deliveries
        </button>{' '}
        <button type="button" class="button small" onClick={() => void model.setEnabled(endpoint, !endpoint.enabled)}>
          {endpoint.enabled ? 'Disable' : 'Enable'}
        </button>{' '}
        <button
          type="button"
          class="button small"
          aria-label={`Delete webhook ${endpoint.url}`}
          onClick={() => {
            if (window.confirm(`Delete the webhook to ${endpoint.url} and its delivery log?`)) void model.removeEndpoint(endpoint);
          }}
        >
          Delete
        </button>
      </p>
      {open && <Deliveries endpoint={endpoint} list={model.deliveries.value!.list} onResend={(d) => model.resend(endpoint, d)} />}
    </li>
  );
}

function Deliveries({ endpoint, list, onResend }: { endpoint: WebhookEndpoint; list: WebhookDelivery[]; onResend(d: WebhookDelivery): Promise<boolean> }): JSX.Element {
  if (list.length === 0) return <p class="muted">Nothing sent yet.</p>;
  return (
    <table class="admin-table">
      <caption>Latest deliveries to {endpoint.url}</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Answer</th>
          <th scope="col">Made</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {list.map((d) => (
          <tr key={d.id}>
            <td>
              <code>{d.eventType}</code>
            </td>
            <td>{d.status === 'pending' && d.nextAttemptAt ? `pending (next ${when(d.nextAttemptAt)})` : d.status}</td>
            <td>{d.attempts}</td>
            <td>{d.lastStatus ?? d.lastError ?? '—'}</td>
            <td>{when(d.createdAt)}</td>
            <td>
              {(d.status === 'delivered' || d.status === 'failed') && (
                <button type="button" class="button small" aria-label={`Send ${d.eventType} again`} onClick={() => void onResend(d)}>
                  Send again
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
