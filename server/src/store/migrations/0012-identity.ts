import { type Kysely, type Migration } from 'kysely';

/**
 * Verified identity: a site's backend signs its user id (HMAC-SHA256 with a per-site secret) and
 * the widget passes it; the contact then carries that id, and "returning" and VIP rest on it (or
 * on the visitor's own token), never on an email the visitor typed.
 */
export const identityMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('contacts').addColumn('external_id', 'text').execute();
    await db.schema.alterTable('contacts').addColumn('verified_at', 'text').execute();
    await db.schema.createIndex('contacts_site_external').on('contacts').columns(['site_id', 'external_id']).execute();
  },
};
