import { type Kysely, type Migration } from 'kysely';

/**
 * Personal data: an audit log of agents' sensitive actions (export, erasure, role change,
 * deactivation), readable by admins, and a minimal proof of each erasure that names no one.
 */
export const personalDataMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      /** 'contact.export', 'contact.erase', 'agent.role', 'agent.deactivate', 'agent.reactivate', 'retention.purge' */
      .addColumn('action', 'text', (c) => c.notNull())
      /** What it was done to: a contact or agent id */
      .addColumn('target', 'text')
      /** JSON with what the action needs to be understood later (never the erased data) */
      .addColumn('detail', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_created').on('audit_log').column('created_at').execute();
    // retention reads a site's closed conversations by age, without walking every closed one
    await db.schema.createIndex('conversations_retention').on('conversations').columns(['site_id', 'status', 'closed_at']).execute();
  },
};
