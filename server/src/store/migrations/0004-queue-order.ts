import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Serves a team's queue straight from an index in queue order (priority, then
 * arrival, then id), so reading its head, a place in it or the rows from a place
 * on needs neither a table scan nor a sort. Queued rows always carry a priority
 * and an arrival time from here on; older rows get the defaults routing uses.
 */
export const queueOrder: Migration = {
  async up(db: Kysely<any>) {
    await sql`UPDATE conversations SET priority = 1 WHERE priority IS NULL`.execute(db);
    await sql`UPDATE conversations SET queued_at = created_at WHERE queued_at IS NULL`.execute(db);
    await db.schema.dropIndex('conversations_queue').execute();
    await db.schema
      .createIndex('conversations_queue_order')
      .on('conversations')
      .columns(['team_id', 'status', 'assignee_id', 'priority desc', 'queued_at', 'id'])
      .execute();
  },
};
