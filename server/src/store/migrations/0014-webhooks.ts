import type { Kysely, Migration } from 'kysely';

/**
 * Webhooks: the endpoints admins subscribe, and the durable outbox of deliveries. A delivery row is
 * written in the same transaction as the change that caused it (one per subscribed endpoint), then
 * sent by a worker that claims due rows with a conditional update. Due rows are read by
 * (status, next_attempt_at); the order per conversation by (endpoint_id, ordering_key, seq); an
 * endpoint's recent deliveries by (endpoint_id, seq); a contact's or conversation's by ordering_key.
 */
export const webhooksMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('allow_private', 'integer', (c) => c.notNull())
      .addColumn('disabled_reason', 'text')
      .addColumn('failing_since', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // the order deliveries were written in (per endpoint and conversation they go out in this order)
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('ordering_key', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_status', 'integer')
      .addColumn('last_response', 'text')
      .addColumn('last_error', 'text')
      .addColumn('last_attempt_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .execute();
    await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('webhook_deliveries_order').on('webhook_deliveries').columns(['endpoint_id', 'ordering_key', 'seq']).execute();
    await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'seq']).execute();
    // erasing a contact or a conversation removes the copies of it that deliveries hold
    await db.schema.createIndex('webhook_deliveries_key').on('webhook_deliveries').column('ordering_key').execute();
  },
};
