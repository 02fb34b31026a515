import type { Kysely, Migration } from 'kysely';

/**
 * Reports read a period of a site straight from indexes on each event's time: conversations by
 * start, messages by time, routing events (closed, reopened) by kind and time, and follow-ups by
 * when they were sent. Closes read the retention index (site, status, closed_at), ratings the
 * rating index (site, rated_at).
 */
export const reportsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('conversations_site_created').on('conversations').columns(['site_id', 'created_at']).execute();
    await db.schema.createIndex('messages_created').on('messages').column('created_at').execute();
    await db.schema.createIndex('routing_events_kind_created').on('routing_events').columns(['kind', 'created_at']).execute();
    await db.schema.createIndex('scheduled_messages_sent').on('scheduled_messages').columns(['status', 'sent_at']).execute();
  },
};
