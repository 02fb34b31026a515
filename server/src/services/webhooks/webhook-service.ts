import { randomUUID } from 'node:crypto';
import { ErrorCode, type Message } from '../../../../protocol/src/index';
import {
  type CreateWebhook,
  CreateWebhookSchema,
  type UpdateWebhook,
  UpdateWebhookSchema,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
  type WebhookPayload,
} from '../../../../protocol/src/webhooks';
import { AppError, invalidPayload, parseOrThrow } from '../../errors';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from '../../store/schema';
import type { Clock } from '../clock';
import type { AuditLog } from '../personal-data/audit-log';
import type { Scheduler } from '../scheduler';
import type { MessageOutbox } from '../conversations/message-append';
import type { ConversationRow } from '../mappers';
import type { WebhookSender } from './sender';
import { newSecret, signedHeaders } from './signature';
import { TargetRefused, resolveTarget } from './targets';

/**
 * Wait after failed attempt n (1-based) before the next: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
 * (the Standard Webhooks reference schedule), each ±20 %: eight attempts over about 27 hours.
 */
const RETRY_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
export const MAX_ATTEMPTS = RETRY_MS.length + 1;
/**
 * An endpoint whose deliveries have failed this long, with no success since, is disabled: five days,
 * longer than one delivery's retries, so a receiver that is down for a weekend loses nothing.
 */
export const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;
/** A claimed row is left alone this long; a node that died mid-send leaves it to be retried after. */
export const LEASE_MS = 60_000;
/** Rows read per run. */
const BATCH = 50;
/** How long this node trusts its list of endpoints (another node may have changed them). */
const ENDPOINTS_TTL_MS = 5_000;
/** How often the worker looks for due deliveries (a new one is also sent at once). */
export const WEBHOOK_TICK_MS = 1_000;
/** Delivered and failed deliveries are kept this long for the admins' log, then removed. */
export const KEEP_LOG_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

/** Anything that can run queries: the store, or a transaction of it. */
type Queryable = Pick<Db, 'selectFrom' | 'insertInto' | 'updateTable'>;

/** The data of the payload whose type list includes T. */
type DataOf<T extends WebhookEventType> = WebhookPayload extends infer P ? (P extends { type: infer U; data: infer D } ? (T extends U ? D : never) : never) : never;

export type WebhookEvent = {
  [T in WebhookEventType]: {
    type: T;
    /** Deliveries of one key (a conversation, a contact) reach an endpoint in the order they were recorded. */
    orderingKey: string;
    /** The payload's data, or how to read it (called only when some endpoint subscribes to the type). */
    data: DataOf<T> | (() => Promise<DataOf<T>>);
  };
}[WebhookEventType];

/** Writes webhook deliveries in the caller's transaction; a no-op when nothing is subscribed. */
export interface WebhookRecorder {
  record(trx: Queryable, event: WebhookEvent): Promise<void>;
}

export const noWebhooks: WebhookRecorder = { record: async () => {} };

const toEndpoint = (row: WebhookEndpointsTable): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: JSON.parse(row.events) as WebhookEventType[],
  enabled: row.enabled === 1,
  allowPrivateNetwork: row.allow_private === 1,
  disabledReason: row.disabled_reason,
  failingSince: row.failing_since,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toDelivery = (row: WebhookDeliveriesTable): WebhookDelivery => ({
  id: row.id,
  eventId: row.event_id,
  eventType: row.event_type as WebhookEventType,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
  lastStatus: row.last_status,
  lastResponse: row.last_response,
  lastError: row.last_error,
  lastAttemptAt: row.last_attempt_at,
  createdAt: row.created_at,
  deliveredAt: row.delivered_at,
  payload: JSON.parse(row.payload) as WebhookPayload,
});

export interface WebhookServiceDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  audit: AuditLog;
  send: WebhookSender;
}

/**
 * Webhooks: endpoints admins subscribe to events, a durable outbox of deliveries written in the
 * same transaction as the change that caused them, and a worker that signs and sends them
 * (Standard Webhooks), retries with backoff and jitter, keeps each conversation's deliveries in
 * order per endpoint, and disables an endpoint that has failed for five days. Rows are claimed with a
 * conditional update, so any number of workers or nodes send each delivery once per attempt.
 */
export class WebhookService implements WebhookRecorder, MessageOutbox {
  private endpoints: { rows: WebhookEndpointsTable[]; at: number } | null = null;
  private seqTail = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private stopTimer: (() => void) | null = null;
  private stopPrune: (() => void) | null = null;
  private stopRefresh: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly deps: WebhookServiceDeps) {}

  // ---- endpoints (admin API) ----

  async list(): Promise<WebhookEndpoint[]> {
    const rows = await this.deps.db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').execute();
    return rows.map(toEndpoint);
  }

  async get(id: string): Promise<WebhookEndpoint> {
    return toEndpoint(await this.row(id));
  }

  private async row(id: string): Promise<WebhookEndpointsTable> {
    const row = await this.deps.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', String(id)).executeTakeFirst();
    if (!row) throw new AppError(ErrorCode.NotFound, 'no such webhook endpoint');
    return row;
  }

  /** Refuses a URL whose host is private (unless allowed) or does not resolve, at the `url` field. */
  private async checkTarget(url: string, allowPrivate: boolean): Promise<void> {
    try {
      await resolveTarget(new URL(url), allowPrivate);
    } catch (error) {
      if (error instanceof TargetRefused) throw invalidPayload([{ path: 'url', message: error.message }], error.message);
      throw error;
    }
  }

  /** Creates an endpoint; the answer carries its signing secret, which is never shown again. */
  async create(actor: { id: string; name: string }, payload: unknown): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const input: CreateWebhook = parseOrThrow(CreateWebhookSchema, payload);
    const allowPrivate = input.allowPrivateNetwork ?? false;
    await this.checkTarget(input.url, allowPrivate);
    const now = this.deps.clock.now().toISOString();
    const row: WebhookEndpointsTable = {
      id: randomUUID(),
      url: input.url,
      description: input.description ?? null,
      secret: newSecret(),
      events: JSON.stringify(input.events),
      enabled: 1,
      allow_private: allowPrivate ? 1 : 0,
      disabled_reason: null,
      failing_since: null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    };
    await this.deps.db.insertInto('webhook_endpoints').values(row).execute();
    await this.deps.audit.record(actor, 'webhook.created', row.id, { url: row.url, events: input.events, allowPrivateNetwork: allowPrivate });
    await this.refresh();
    return { endpoint: toEndpoint(row), secret: row.secret };
  }

  async update(actor: { id: string; name: string }, id: string, payload: unknown): Promise<WebhookEndpoint> {
    const input: UpdateWebhook = parseOrThrow(UpdateWebhookSchema, payload);
    const before = await this.row(id);
    const url = input.url ?? before.url;
    const allowPrivate = input.allowPrivateNetwork ?? before.allow_private === 1;
    if (input.url !== undefined || input.allowPrivateNetwork !== undefined) await this.checkTarget(url, allowPrivate);
    const set: Partial<WebhookEndpointsTable> = { url, allow_private: allowPrivate ? 1 : 0, updated_at: this.deps.clock.now().toISOString() };
    if (input.events) set.events = JSON.stringify(input.events);
    if (input.description !== undefined) set.description = input.description;
    if (input.enabled === true) Object.assign(set, { enabled: 1, disabled_reason: null, failing_since: null });
    if (input.enabled === false) Object.assign(set, { enabled: 0, disabled_reason: `disabled by ${actor.name}` });
    await this.deps.db.updateTable('webhook_endpoints').set(set).where('id', '=', before.id).execute();
    await this.deps.audit.record(actor, 'webhook.updated', before.id, { changed: Object.keys(input) });
    await this.refresh();
    if (input.enabled === true) this.nudge();
    return this.get(before.id);
  }

  async remove(actor: { id: string; name: string }, id: string): Promise<void> {
    const before = await this.row(id);
    await this.deps.db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', before.id).execute();
    await this.deps.db.deleteFrom('webhook_endpoints').where('id', '=', before.id).execute();
    await this.deps.audit.record(actor, 'webhook.deleted', before.id, { url: before.url });
    await this.refresh();
  }

  /** The endpoint's latest deliveries, newest first. */
  async deliveries(id: string, limit = 50): Promise<WebhookDelivery[]> {
    const endpoint = await this.row(id);
    const count = Number.isFinite(limit) ? Math.min(Math.max(Math.trunc(limit), 1), 200) : 50;
    const rows = await this.deps.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id).orderBy('seq', 'desc').limit(count).execute();
    return rows.map(toDelivery);
  }

  /** Sends a delivery again (same `webhook-id`), now: a failed one, or a delivered one the receiver lost. */
  async resend(actor: { id: string; name: string }, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    const endpoint = await this.row(endpointId);
    const result = await this.deps.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: this.deps.clock.now().toISOString() })
      .where('id', '=', String(deliveryId))
      .where('endpoint_id', '=', endpoint.id)
      .where('status', 'in', ['delivered', 'failed'])
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const exists = await this.deps.db.selectFrom('webhook_deliveries').select('status').where('id', '=', String(deliveryId)).where('endpoint_id', '=', endpoint.id).executeTakeFirst();
      if (!exists) throw new AppError(ErrorCode.NotFound, 'no such delivery');
      throw new AppError(ErrorCode.Conflict, 'this delivery is still being tried');
    }
    await this.deps.audit.record(actor, 'webhook.resent', endpoint.id, { delivery: deliveryId });
    this.nudge();
    const row = await this.deps.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', String(deliveryId)).executeTakeFirstOrThrow();
    return toDelivery(row);
  }

  // ---- the outbox ----

  /** Read with the caller's transaction: on SQLite another query would wait for its connection. */
  private async enabledEndpoints(trx: Queryable): Promise<WebhookEndpointsTable[]> {
    const now = Date.now();
    if (!this.endpoints || now - this.endpoints.at > ENDPOINTS_TTL_MS) {
      const rows = await trx.selectFrom('webhook_endpoints').selectAll().where('enabled', '=', 1).execute();
      this.endpoints = { rows, at: now };
    }
    return this.endpoints.rows;
  }

  /** Increasing within this process, and across nodes as far as their clocks agree: milliseconds × 1000 + a counter. */
  private nextSeq(): number {
    const base = this.deps.clock.now().getTime() * 1000;
    this.seqTail = Math.max(this.seqTail + 1, base);
    return this.seqTail;
  }

  /** Reads the enabled endpoints again (after a change here, and every few seconds for other nodes' changes). */
  async refresh(): Promise<void> {
    this.endpoints = { rows: await this.deps.db.selectFrom('webhook_endpoints').selectAll().where('enabled', '=', 1).execute(), at: Date.now() };
  }

  private subscribed(rows: readonly WebhookEndpointsTable[], type: WebhookEventType): WebhookEndpointsTable[] {
    return rows.filter((e) => (JSON.parse(e.events) as string[]).includes(type));
  }

  /** One pending delivery per endpoint of a payload. */
  private rows(endpoints: readonly WebhookEndpointsTable[], type: WebhookEventType, orderingKey: string, data: unknown, now: string): WebhookDeliveriesTable[] {
    const body = JSON.stringify({ type, timestamp: now, data });
    return endpoints.map((e) => ({
      id: randomUUID(),
      seq: this.nextSeq(),
      endpoint_id: e.id,
      event_id: `msg_${randomUUID().replace(/-/g, '')}`,
      event_type: type,
      ordering_key: orderingKey,
      payload: body,
      status: 'pending' as const,
      attempts: 0,
      next_attempt_at: now,
      last_status: null,
      last_response: null,
      last_error: null,
      last_attempt_at: null,
      created_at: now,
      delivered_at: null,
    }));
  }

  /**
   * `message.created` deliveries of a message being written, for the message path to insert in its own
   * transaction (MessageOutbox): synchronous, from the endpoints this node knows (at most a few seconds
   * behind another node's change). System lines are not messages anyone wrote, and are not sent.
   */
  rowsFor(message: Message, conversation: ConversationRow): WebhookDeliveriesTable[] {
    if (message.authorType === 'system') return [];
    const endpoints = this.subscribed(this.endpoints?.rows ?? [], 'message.created');
    if (endpoints.length === 0) return [];
    const data = {
      message: { id: message.id, conversationId: message.conversationId, seq: message.seq, authorType: message.authorType, authorId: conversation.last_message_author_id ?? null, authorName: message.authorName, text: message.text, createdAt: message.createdAt },
      conversation: { id: conversation.id, siteId: conversation.site_id, contactId: conversation.contact_id },
    };
    // sent once the message's transaction is committed: the run waits for the store's connection
    setImmediate(() => this.nudge());
    return this.rows(endpoints, 'message.created', conversation.id, data, message.createdAt);
  }

  async record(trx: Queryable, event: WebhookEvent): Promise<void> {
    const endpoints = this.subscribed(await this.enabledEndpoints(trx), event.type);
    if (endpoints.length === 0) return;
    const now = this.deps.clock.now().toISOString();
    const data = typeof event.data === 'function' ? await event.data() : event.data;
    await trx.insertInto('webhook_deliveries').values(this.rows(endpoints, event.type, event.orderingKey, data, now)).execute();
    // sent once the caller's transaction is committed: a run started now waits for the store's
    // connection (SQLite) or reads only what is committed (PostgreSQL)
    this.nudge();
  }

  // ---- the worker ----

  start(scheduler: Scheduler): void {
    const refresh = () => void this.refresh().catch((err: unknown) => this.deps.log.error({ err }, 'reading webhook endpoints failed'));
    refresh();
    this.stopRefresh ??= scheduler.every(ENDPOINTS_TTL_MS, refresh);
    this.stopTimer ??= scheduler.every(WEBHOOK_TICK_MS, () => this.nudge());
    this.stopPrune ??= scheduler.every(PRUNE_EVERY_MS, () => void this.prune().catch((err: unknown) => this.deps.log.error({ err }, 'pruning the webhook log failed')));
  }

  /** Removes delivered and failed deliveries older than {@link KEEP_LOG_MS}; returns how many. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - KEEP_LOG_MS).toISOString();
    let removed = 0;
    for (const status of ['delivered', 'failed'] as const) {
      const result = await this.deps.db.deleteFrom('webhook_deliveries').where('status', '=', status).where('next_attempt_at', '<', cutoff).executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
    return removed;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopTimer?.();
    this.stopPrune?.();
    this.stopRefresh?.();
    await this.settled();
  }

  /** Resolves when no run is in progress. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Starts a run, or asks the run in progress for one more pass. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while (!this.stopped && (await this.deliverDue()) > 0);
        } while (this.again && !this.stopped);
      } catch (error) {
        this.deps.log.error({ err: error }, 'webhook delivery failed');
      } finally {
        this.running = null;
      }
    })();
  }

  /** Sends what is due now; returns how many deliveries it attempted. */
  async deliverDue(): Promise<number> {
    const { db, clock } = this.deps;
    const now = clock.now().toISOString();
    const due = (status: 'pending' | 'sending') =>
      db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
        .selectAll('webhook_deliveries')
        .where('webhook_deliveries.status', '=', status)
        .where('webhook_deliveries.next_attempt_at', '<=', now)
        .where('webhook_endpoints.enabled', '=', 1)
        .orderBy('webhook_deliveries.next_attempt_at')
        .limit(BATCH)
        .execute();
    // 'sending' rows past their lease: the node sending them died
    const rows = [...(await due('pending')), ...(await due('sending'))].sort((a, b) => a.seq - b.seq);
    let attempted = 0;
    for (const row of rows) {
      if (this.stopped) break;
      // an earlier delivery of the same conversation to this endpoint still to go: it goes first
      const earlier = await db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('endpoint_id', '=', row.endpoint_id)
        .where('ordering_key', '=', row.ordering_key)
        .where('seq', '<', row.seq)
        .where('status', 'in', ['pending', 'sending'])
        .limit(1)
        .executeTakeFirst();
      if (earlier) continue;
      if (!(await this.claim(row))) continue;
      attempted += 1;
      await this.attempt({ ...row, attempts: row.attempts + 1 });
    }
    return attempted;
  }

  private async claim(row: WebhookDeliveriesTable): Promise<boolean> {
    const lease = new Date(this.deps.clock.now().getTime() + LEASE_MS).toISOString();
    const result = await this.deps.db
      .updateTable('webhook_deliveries')
      .set({ status: 'sending', attempts: row.attempts + 1, next_attempt_at: lease })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .where('next_attempt_at', '=', row.next_attempt_at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async attempt(row: WebhookDeliveriesTable): Promise<void> {
    const { db, clock, log } = this.deps;
    const endpoint = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', row.endpoint_id).executeTakeFirst();
    if (!endpoint) return;
    const sentAt = clock.now();
    const outcome = await this.deps.send(endpoint.url, endpoint.allow_private === 1, signedHeaders(endpoint.secret, row.event_id, sentAt, row.payload), row.payload);
    const now = clock.now();
    const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const last = { last_status: outcome.status, last_response: outcome.response, last_error: ok ? null : (outcome.error ?? `answered ${outcome.status}`), last_attempt_at: sentAt.toISOString() };
    if (ok) {
      await db.updateTable('webhook_deliveries').set({ ...last, status: 'delivered', delivered_at: now.toISOString() }).where('id', '=', row.id).where('status', '=', 'sending').execute();
      if (endpoint.failing_since) await db.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', '=', endpoint.id).execute();
      log.debug({ delivery: row.id, endpoint: endpoint.id, type: row.event_type }, 'webhook delivered');
      return;
    }
    const giveUp = row.attempts >= MAX_ATTEMPTS;
    const wait = RETRY_MS[Math.min(row.attempts, RETRY_MS.length) - 1]! * (0.8 + Math.random() * 0.4);
    await db
      .updateTable('webhook_deliveries')
      .set(giveUp ? { ...last, status: 'failed' } : { ...last, status: 'pending', next_attempt_at: new Date(now.getTime() + wait).toISOString() })
      .where('id', '=', row.id)
      .where('status', '=', 'sending')
      .execute();
    log.warn({ delivery: row.id, endpoint: endpoint.id, type: row.event_type, attempts: row.attempts, status: outcome.status, err: outcome.error, gaveUp: giveUp }, 'webhook not delivered');
    const failingSince = endpoint.failing_since ?? sentAt.toISOString();
    if (!endpoint.failing_since) await db.updateTable('webhook_endpoints').set({ failing_since: failingSince }).where('id', '=', endpoint.id).where('failing_since', 'is', null).execute();
    if (now.getTime() - Date.parse(failingSince) >= DISABLE_AFTER_MS) await this.disable(endpoint, failingSince);
  }

  /** Disables an endpoint that failed for too long, with the reason admins see, and a line in the audit log. */
  private async disable(endpoint: WebhookEndpointsTable, since: string): Promise<void> {
    const reason = `disabled automatically: every delivery failed since ${since}`;
    const result = await this.deps.db
      .updateTable('webhook_endpoints')
      .set({ enabled: 0, disabled_reason: reason, updated_at: this.deps.clock.now().toISOString() })
      .where('id', '=', endpoint.id)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return;
    await this.refresh();
    this.deps.log.warn({ endpoint: endpoint.id, url: endpoint.url, since }, 'webhook endpoint disabled after failing for five days');
    await this.deps.audit.record(null, 'webhook.disabled', endpoint.id, { url: endpoint.url, reason });
  }
}
