import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../../store/db';
import type { ConversationService } from '../conversations/conversation-service';

/** Sets a gauge to counts read at scrape time: one sample per value of its one label ("" for null). */
function setCounts<L extends string>(gauge: Gauge<L>, label: L, rows: { key?: string | null; n: number | string | bigint }[]): void {
  gauge.reset();
  for (const row of rows) gauge.set({ [label]: row.key ?? '' } as Record<L, string>, Number(row.n));
}

/** What the metrics read from the realtime layer at each scrape: sockets connected on this node. */
export interface SocketCounts {
  visitors(): number;
  agents(): number;
}

/**
 * Prometheus metrics of one node (`GET /metrics`, prom-client's text format): Node's own (CPU,
 * memory, event-loop lag as `parley_nodejs_eventloop_lag_*`), messages stored by author kind, auto-replies by kind,
 * conversations started, the time socket events take from arrival to ack, sockets connected, and
 * read at each scrape from the store: queue length per team, and the email and webhook outboxes by status.
 * Counters count what this node did; sum them over nodes.
 */
export function createMetrics(deps: { db: Db; conversations: ConversationService; sockets: () => SocketCounts | null }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  const messages = new Counter({
    name: 'parley_messages_total',
    help: 'Messages stored, by author kind (visitor, agent, bot, system); bot messages are auto-replies.',
    labelNames: ['author'] as const,
    registers: [registry],
  });
  const autoReplies = new Counter({
    name: 'parley_auto_replies_total',
    help: 'Auto-replies sent, by kind (welcome, away, busy, rule).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const started = new Counter({ name: 'parley_conversations_started_total', help: 'Conversations started by visitors.', registers: [registry] });
  const events = new Histogram({
    name: 'parley_socket_event_duration_seconds',
    help: 'Time from a socket event’s arrival to its ack (for message:send: stored and committed), by event.',
    labelNames: ['event', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'parley_connected_sockets',
    help: 'Sockets connected to this node, by namespace.',
    labelNames: ['namespace'] as const,
    registers: [registry],
    collect() {
      const counts = deps.sockets();
      this.set({ namespace: 'visitor' }, counts?.visitors() ?? 0);
      this.set({ namespace: 'agent' }, counts?.agents() ?? 0);
    },
  });
  new Gauge({
    name: 'parley_queue_length',
    help: 'Open conversations waiting for an agent, by team ("" for none).',
    labelNames: ['team'] as const,
    registers: [registry],
    async collect() {
      const rows = await deps.db
        .selectFrom('conversations')
        .select(['team_id as key', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'open')
        .where('assignee_id', 'is', null)
        .groupBy('team_id')
        .execute();
      setCounts(this, 'team', rows);
    },
  });
  new Gauge({
    name: 'parley_email_outbox',
    help: 'Emails in the outbox still to send (pending, sending) or given up (failed).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await deps.db
        .selectFrom('email_outbox')
        .select(['status as key', (eb) => eb.fn.countAll<number>().as('n')])
        // what is still to do or gave up; sent mail piles up and is not worth a scan per scrape
        .where('status', 'in', ['pending', 'sending', 'failed'])
        .groupBy('status')
        .execute();
      setCounts(this, 'status', rows);
    },
  });

  new Gauge({
    name: 'parley_webhook_outbox',
    help: 'Webhook deliveries still to send (pending, sending) or given up (failed).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await deps.db
        .selectFrom('webhook_deliveries')
        .select(['status as key', (eb) => eb.fn.countAll<number>().as('n')])
        // by the (status, next_attempt_at) index; delivered rows are not worth a scan per scrape
        .where('status', 'in', ['pending', 'sending', 'failed'])
        .groupBy('status')
        .execute();
      setCounts(this, 'status', rows);
    },
  });

  deps.conversations.listen({
    async conversationStarted() {
      started.inc();
    },
    async messageStored(message) {
      messages.inc({ author: message.authorType });
      // auto-replies carry their kind in their client id: auto:<kind>:…
      const kind = message.authorType === 'bot' && /^auto:(welcome|away|busy|rule):/.exec(message.clientId)?.[1];
      if (kind) autoReplies.inc({ kind });
    },
  });

  return {
    registry,
    /** Records one socket event answered after `seconds`; `ok` false for a refusal. */
    observeEvent(event: string, seconds: number, ok: boolean): void {
      events.observe({ event, outcome: ok ? 'ok' : 'refused' }, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
