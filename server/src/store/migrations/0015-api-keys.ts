import type { Kysely, Migration } from 'kysely';

/**
 * API keys: created by admins, shown once, stored as SHA-256 (looked up by it), with scopes, the
 * agent whose rights they carry (never more than that agent's role), last use and revocation.
 */
export const apiKeysMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('api_keys_agent').on('api_keys').column('agent_id').execute();
  },
};
