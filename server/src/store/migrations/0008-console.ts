import { type Kysely, type Migration, sql } from 'kysely';
import { isPostgres } from '../dialect';

/**
 * The agents' console at scale: every inbox view served from an index in
 * last-activity order (keyset pages, no temporary sort), per-agent read marks
 * for unread counts, private notes kept apart from messages (so no visitor
 * query can ever reach them), the label catalogue and a join table to filter
 * by label, attachments, pages a visitor saw, and full-text search.
 *
 * Full-text search uses SQLite FTS5 here; a PostgreSQL store builds its own
 * `tsvector` index instead (see services/search/).
 */
export const consoleMigration: Migration = {
  async up(db: Kysely<any>) {
    for (const [name, type, dflt] of [
      ['last_visitor_seq', 'integer', 0],
      ['visitor_read_seq', 'integer', 0],
      ['agent_read_seq', 'integer', 0],
      ['awaiting', 'text', null],
      ['last_message_author_id', 'text', null],
      ['last_message_author_name', 'text', null],
    ] as const) {
      await db.schema
        .alterTable('conversations')
        .addColumn(name, type, (c) => (dflt === null ? c : c.notNull().defaultTo(dflt)))
        .execute();
    }
    await sql`UPDATE conversations SET last_visitor_seq = coalesce((SELECT max(seq) FROM messages m WHERE m.conversation_id = conversations.id AND m.author_type = 'visitor'), 0)`.execute(db);
    await sql`UPDATE conversations SET awaiting = CASE last_message_author WHEN 'visitor' THEN 'agent' WHEN 'agent' THEN 'visitor' ELSE NULL END WHERE status = 'open'`.execute(db);

    await db.schema.dropIndex('conversations_status_updated').execute();
    const inboxIndexes: [string, string[]][] = [
      ['conversations_inbox_status', ['status', 'updated_at desc', 'id desc']],
      ['conversations_inbox_all', ['updated_at desc', 'id desc']],
      ['conversations_inbox_assignee', ['assignee_id', 'status', 'updated_at desc', 'id desc']],
      ['conversations_inbox_team', ['team_id', 'status', 'updated_at desc', 'id desc']],
      // "any status" views of an assignee or a team, which would otherwise merge statuses with a sort
      ['conversations_inbox_assignee_any', ['assignee_id', 'updated_at desc', 'id desc']],
      ['conversations_inbox_team_any', ['team_id', 'updated_at desc', 'id desc']],
      ['conversations_contact_updated', ['contact_id', 'updated_at desc']],
    ];
    for (const [name, columns] of inboxIndexes) await db.schema.createIndex(name).on('conversations').columns(columns).execute();
    await db.schema.dropIndex('conversations_contact').execute();

    await db.schema
      .createTable('conversation_reads')
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('read_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('conversation_reads_pk', ['conversation_id', 'agent_id'])
      .execute();

    await db.schema
      .createTable('notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('author_name', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('notes_conversation_client', ['conversation_id', 'client_id'])
      .execute();
    await db.schema.createIndex('notes_conversation_created').on('notes').columns(['conversation_id', 'created_at']).execute();

    await db.schema
      .createTable('labels')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('color', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('conversation_labels')
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('conversation_labels_pk', ['conversation_id', 'label'])
      .execute();
    await db.schema.createIndex('conversation_labels_label').on('conversation_labels').columns(['label', 'conversation_id']).execute();

    await db.schema
      .createTable('attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('storage_key', 'text', (c) => c.notNull())
      .addColumn('thumbnail_key', 'text')
      .addColumn('uploader_type', 'text', (c) => c.notNull())
      .addColumn('uploader_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('attachments_conversation').on('attachments').column('conversation_id').execute();
    // JSON: the Attachment a message carries
    await db.schema.alterTable('messages').addColumn('attachment', 'text').execute();

    await db.schema.alterTable('contacts').addColumn('time_zone', 'text').execute();
    await db.schema.alterTable('contacts').addColumn('user_agent', 'text').execute();
    await db.schema
      .createTable('page_views')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('seen_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('page_views_conversation_seen').on('page_views').columns(['conversation_id', 'seen_at']).execute();

    // full-text search (SQLite FTS5): message text, kept in step by triggers; and one document per
    // conversation (contact name, email, phone and survey answers), written by the search service
    if (isPostgres(db)) {
      await postgresSearch(db);
      return;
    }
    await sql`CREATE VIRTUAL TABLE message_search USING fts5(text, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3')`.execute(db);
    await sql`INSERT INTO message_search(rowid, text) SELECT rowid, text FROM messages WHERE author_type IN ('visitor', 'agent')`.execute(db);
    await sql`CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN new.author_type IN ('visitor', 'agent') BEGIN
      INSERT INTO message_search(rowid, text) VALUES (new.rowid, new.text);
    END`.execute(db);
    await sql`CREATE VIRTUAL TABLE conversation_search USING fts5(body, tokenize='unicode61 remove_diacritics 2', prefix='2 3')`.execute(db);
  },
};

/**
 * Punctuation that splits words as FTS5's unicode61 tokenizer does, where PostgreSQL's parser would
 * keep `ana@example.com` or `ORDER-123` whole (services/search/pg-search.ts queries the same way).
 */
export const SEARCH_SPLIT = '@._-+/:,;#()[]';
const spaces = ' '.repeat(SEARCH_SPLIT.length);

/**
 * The PostgreSQL twin of the FTS5 tables: a `tsvector` column generated from the text of visitors'
 * and agents' messages, and a table of one document per conversation, each with a GIN index.
 */
async function postgresSearch(db: Kysely<any>): Promise<void> {
  const words = (column: string) => sql.raw(`to_tsvector('simple', translate(${column}, '${SEARCH_SPLIT}', '${spaces}'))`);
  await sql`ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (CASE WHEN author_type IN ('visitor', 'agent') THEN ${words('text')} END) STORED`.execute(db);
  await sql`CREATE INDEX messages_search ON messages USING gin (search)`.execute(db);
  await sql`CREATE TABLE conversation_search (
    conversation_id text PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    seq bigserial NOT NULL,
    body text NOT NULL,
    search tsvector GENERATED ALWAYS AS (${words('body')}) STORED
  )`.execute(db);
  await sql`CREATE INDEX conversation_search_words ON conversation_search USING gin (search)`.execute(db);
}
