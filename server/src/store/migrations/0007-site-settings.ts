import type { Kysely, Migration } from 'kysely';

/**
 * Admins' edits of a site's survey, texts, looks and languages, one JSON
 * document per site. A saved edit takes precedence over the config file's
 * value until an admin resets it; the file itself is never written.
 */
export const siteSettings: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('site_settings')
      .addColumn('site_id', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .execute();
  },
};
