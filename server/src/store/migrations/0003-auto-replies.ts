import type { Kysely, Migration } from 'kysely';

/**
 * Auto-replies: the admins' edits (which take precedence over the config
 * file), and what rules set on a conversation: labels and a hand-over request.
 * The team a rule sets goes to `conversations.team_id` (from routing).
 */
export const autoReplies: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('auto_reply_settings')
      // `quick-replies`, `rules`, `schedules` or `site:<id>`
      .addColumn('scope', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .execute();
    await db.schema.alterTable('conversations').addColumn('labels', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('handover_at', 'text').execute();
  },
};
