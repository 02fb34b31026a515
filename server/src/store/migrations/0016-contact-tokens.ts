import type { Kysely, Migration } from 'kysely';

/**
 * More than one browser per contact: a signed-in user (verified by the site's HMAC) gets a token on
 * each device they chat from, all opening the same contact. The contact's first token stays in
 * `contacts.token_hash`; the others live here, stored only as their SHA-256. Also the indexes the
 * REST API's contact listing needs.
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
    // the REST API's contact pages (newest first) and lookups by email or the shop's user id, on any site
    await db.schema.createIndex('contacts_created').on('contacts').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('contacts_email').on('contacts').column('email').execute();
    await db.schema.createIndex('contacts_external').on('contacts').column('external_id').execute();
  },
};
