import type { Kysely, Migration } from 'kysely';

/**
 * The visitor's rating of a closed conversation (CSAT): one per conversation,
 * replaced when the visitor rates again, kept when the conversation reopens.
 * The index serves the ratings report of a site over a period.
 */
export const rating: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('conversations').addColumn('rating_score', 'integer').execute();
    await db.schema.alterTable('conversations').addColumn('rating_comment', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('rated_at', 'text').execute();
    await db.schema.createIndex('conversations_site_rated').on('conversations').columns(['site_id', 'rated_at']).execute();
  },
};
