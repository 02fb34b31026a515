import type { Kysely, Migration } from 'kysely';

/** Every presence change of every agent (online, away, offline), for the time each spent online and away in reports. */
export const presenceLogMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('presence_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('presence', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('presence_log_agent_at').on('presence_log').columns(['agent_id', 'at']).execute();
    await db.schema.createIndex('presence_log_at').on('presence_log').column('at').execute();
  },
};
