import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { foundation } from './0001-foundation';
import { routing } from './0002-routing';
import { autoReplies } from './0003-auto-replies';
import { queueOrder } from './0004-queue-order';
import { messageAuthorIndex } from './0005-message-author-index';
import { rating } from './0006-rating';
import { siteSettings } from './0007-site-settings';
import { consoleMigration } from './0008-console';
import { followUpsMigration } from './0009-follow-ups';
import { agentAccessMigration } from './0010-agent-access';
import { personalDataMigration } from './0011-personal-data';
import { identityMigration } from './0012-identity';
import { reportsMigration } from './0013-reports';
import { webhooksMigration } from './0014-webhooks';
import { apiKeysMigration } from './0015-api-keys';
import { contactTokensMigration } from './0016-contact-tokens';
import { presenceLogMigration } from './0017-presence-log';
import { agentInvitesMigration } from './0018-agent-invites';

/**
 * Every migration, in order. Each lives in its own file and uses only portable
 * column types (text, integer) and ISO timestamps, so SQLite and Postgres share them.
 * Add new ones at the end with the next number; never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_routing': routing,
  '0003_auto_replies': autoReplies,
  '0004_queue_order': queueOrder,
  '0005_message_author_index': messageAuthorIndex,
  '0006_rating': rating,
  '0007_site_settings': siteSettings,
  '0008_console': consoleMigration,
  '0009_follow_ups': followUpsMigration,
  '0010_agent_access': agentAccessMigration,
  '0011_personal_data': personalDataMigration,
  '0012_identity': identityMigration,
  '0013_reports': reportsMigration,
  '0014_webhooks': webhooksMigration,
  '0015_api_keys': apiKeysMigration,
  '0016_contact_tokens': contactTokensMigration,
  '0017_presence_log': presenceLogMigration,
  '0018_agent_invites': agentInvitesMigration,
};

class CodeMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Brings the schema up to date; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<void> {
  // PostgreSQL: the migration tables of this schema (Kysely would take another schema's as its own)
  const migrator = new Migrator({ db, provider: new CodeMigrations(), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  // a store a newer Parley has migrated: this version does not know its tables, and must not touch them
  const missing = error instanceof Error ? /previously executed migration (\S+) is missing/.exec(error.message)?.[1] : undefined;
  if (missing) throw new NewerStore(`the store was migrated by a newer Parley (migration ${missing} is unknown to this version): run that version, or a newer one`);
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The store holds migrations this version of Parley does not have. */
export class NewerStore extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NewerStore';
  }
}
