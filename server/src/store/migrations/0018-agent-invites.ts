import type { Kysely, Migration } from 'kysely';

/** One-time links an admin sends a new agent: the agent picks their name and password; only the link's SHA-256 is kept. */
export const agentInvitesMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('agent_invites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('agent_invites_email').on('agent_invites').column('email').execute();
  },
};
