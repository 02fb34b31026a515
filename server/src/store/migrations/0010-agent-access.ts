import { type Kysely, type Migration } from 'kysely';

/**
 * Who may still come in: an agent who left is deactivated (kept for history, refused at sign-in,
 * their sessions and sockets ended), and each session remembers the browser that opened it and
 * when it was last used, so an agent can list their sessions and end the ones they do not know.
 */
export const agentAccessMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('agents').addColumn('deactivated_at', 'text').execute();
    await db.schema.alterTable('agent_sessions').addColumn('user_agent', 'text').execute();
    await db.schema.alterTable('agent_sessions').addColumn('last_used_at', 'text').execute();
  },
};
