import type { Kysely, Migration } from 'kysely';

/**
 * More than one browser per contact: a signed-in user (verified by the site's HMAC) gets a token on
 * each device they chat from, all opening the same contact. The contact's first token stays in
 * `contacts.token_hash`; the others live here, stored only as their SHA-256.
 */
export const contactTokensMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('contact_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contact_tokens_contact').on('contact_tokens').column('contact_id').execute();
  },
};
