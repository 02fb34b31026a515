import { type ReadonlySignal, signal } from '@preact/signals';
import type { ApiKey, ApiKeyScope } from '../../../protocol/src/api-keys';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from '../../../protocol/src/webhooks';
import { ApiError, request } from '../api';

/** A failure as a sentence, with the field the server named (`url`, `events[0]`, `name`…). */
export interface FormError {
  message: string;
  field: string | null;
}

/** The admins' integrations screen: API keys and webhook endpoints (REST /api/v1/api-keys, /api/v1/webhooks). */
export interface IntegrationsModel {
  keys: ReadonlySignal<ApiKey[]>;
  endpoints: ReadonlySignal<WebhookEndpoint[]>;
  eventTypes: ReadonlySignal<WebhookEventType[]>;
  /** Deliveries of the endpoint whose log is open. */
  deliveries: ReadonlySignal<{ endpointId: string; list: WebhookDelivery[] } | null>;
  loading: ReadonlySignal<boolean>;
  error: ReadonlySignal<FormError | null>;
  /** What just happened, for screen readers. */
  status: ReadonlySignal<string>;
  /** A key or a secret just made: shown once, until dismissed. */
  revealed: ReadonlySignal<{ what: string; value: string } | null>;
  load(): Promise<void>;
  createKey(name: string, scopes: ApiKeyScope[]): Promise<boolean>;
  revokeKey(key: ApiKey): Promise<boolean>;
  createEndpoint(input: { url: string; events: WebhookEventType[]; description: string; allowPrivateNetwork: boolean }): Promise<boolean>;
  setEnabled(endpoint: WebhookEndpoint, enabled: boolean): Promise<boolean>;
  removeEndpoint(endpoint: WebhookEndpoint): Promise<boolean>;
  showDeliveries(endpoint: WebhookEndpoint): Promise<void>;
  resend(endpoint: WebhookEndpoint, delivery: WebhookDelivery): Promise<boolean>;
  dismiss(): void;
}

export function createIntegrationsModel(base = '/api/v1'): IntegrationsModel {
  const keys = signal<ApiKey[]>([]);
  const endpoints = signal<WebhookEndpoint[]>([]);
  const eventTypes = signal<WebhookEventType[]>([]);
  const deliveries = signal<{ endpointId: string; list: WebhookDelivery[] } | null>(null);
  const loading = signal(true);
  const error = signal<FormError | null>(null);
  const status = signal('');
  const revealed = signal<{ what: string; value: string } | null>(null);

  const fail = (e: unknown, fallback: string) => {
    const issue = e instanceof ApiError ? e.issues[0] : undefined;
    error.value = { message: issue ? `${issue.path}: ${issue.message}` : e instanceof Error ? e.message : fallback, field: issue?.path ?? null };
  };

  async function load(): Promise<void> {
    try {
      const [k, w, t] = await Promise.all([
        request<{ apiKeys: ApiKey[] }>(base, 'GET', '/api-keys'),
        request<{ endpoints: WebhookEndpoint[] }>(base, 'GET', '/webhooks'),
        request<{ eventTypes: WebhookEventType[] }>(base, 'GET', '/webhooks/event-types'),
      ]);
      keys.value = k.apiKeys;
      endpoints.value = w.endpoints;
      eventTypes.value = t.eventTypes;
    } catch (e) {
      fail(e, 'Could not load the integrations.');
    } finally {
      loading.value = false;
    }
  }

  async function run(work: () => Promise<unknown>, done: string): Promise<boolean> {
    error.value = null;
    try {
      await work();
      status.value = done;
      await load();
      return true;
    } catch (e) {
      fail(e, 'Not saved.');
      return false;
    }
  }

  const endpointPath = (e: WebhookEndpoint) => `/webhooks/${encodeURIComponent(e.id)}`;
  const showDeliveries = async (endpoint: WebhookEndpoint) => {
    try {
      const { deliveries: list } = await request<{ deliveries: WebhookDelivery[] }>(base, 'GET', `${endpointPath(endpoint)}/deliveries?limit=50`);
      deliveries.value = { endpointId: endpoint.id, list };
    } catch (e) {
      fail(e, 'Could not load the deliveries.');
    }
  };

  return {
    keys,
    endpoints,
    eventTypes,
    deliveries,
    loading,
    error,
    status,
    revealed,
    load,
    createKey: (name, scopes) =>
      run(async () => {
        const made = await request<{ apiKey: ApiKey; key: string }>(base, 'POST', '/api-keys', { name, scopes });
        revealed.value = { what: `API key “${made.apiKey.name}”`, value: made.key };
      }, `API key ${name} made`),
    revokeKey: (key) => run(() => request(base, 'DELETE', `/api-keys/${encodeURIComponent(key.id)}`), `API key ${key.name} revoked`),
    createEndpoint: (input) =>
      run(async () => {
        const made = await request<{ endpoint: WebhookEndpoint; secret: string }>(base, 'POST', '/webhooks', {
          url: input.url,
          events: input.events,
          description: input.description || null,
          allowPrivateNetwork: input.allowPrivateNetwork,
        });
        revealed.value = { what: `Signing secret of ${made.endpoint.url}`, value: made.secret };
      }, `Webhook ${input.url} added`),
    setEnabled: (endpoint, enabled) => run(() => request(base, 'PATCH', endpointPath(endpoint), { enabled }), `${endpoint.url} ${enabled ? 'enabled' : 'disabled'}`),
    removeEndpoint: (endpoint) =>
      run(async () => {
        await request(base, 'DELETE', endpointPath(endpoint));
        if (deliveries.value?.endpointId === endpoint.id) deliveries.value = null;
      }, `${endpoint.url} deleted`),
    showDeliveries,
    resend: (endpoint, delivery) =>
      run(async () => {
        await request(base, 'POST', `${endpointPath(endpoint)}/deliveries/${encodeURIComponent(delivery.id)}/resend`);
        await showDeliveries(endpoint);
      }, 'Sent again'),
    dismiss: () => (revealed.value = null),
  };
}
