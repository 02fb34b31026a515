import { sql } from 'kysely';
import type { Db } from '../../store/db';
import { type SearchIndex, contactConversations, documentText, searchTerms } from './search-index';

/** Most hits read from each index before sorting by activity: bounds a query for a common word. */
const HITS = 400;

/**
 * FTS5 in the embedded store: `conversation_search` holds one document per
 * conversation (rowid = the conversation's rowid), `message_search` indexes
 * message text through a trigger. User text never reaches FTS5's query
 * syntax: each word becomes a quoted prefix term, all of them required. Each
 * index gives at most its {@link HITS} latest matches (rowid order is insertion order), so a word
 * that matches half the store costs no more than a rare one.
 */
export class SqliteSearchIndex implements SearchIndex {
  constructor(private readonly db: Db) {}

  async indexConversation(conversationId: string): Promise<void> {
    const row = await this.db
      .selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .select(['contacts.name', 'contacts.email', 'contacts.phone', 'conversations.answers', sql<number>`conversations.rowid`.as('rid')])
      .where('conversations.id', '=', conversationId)
      .executeTakeFirst();
    if (!row) return;
    let answers: { value: unknown }[] = [];
    try {
      answers = JSON.parse(row.answers) as { value: unknown }[];
    } catch {
      // a malformed answers column still indexes the contact
    }
    const body = documentText(row, answers);
    await sql`DELETE FROM conversation_search WHERE rowid = ${row.rid}`.execute(this.db);
    await sql`INSERT INTO conversation_search(rowid, body) VALUES (${row.rid}, ${body})`.execute(this.db);
  }

  async indexContact(contactId: string): Promise<void> {
    for (const id of await contactConversations(this.db, contactId)) await this.indexConversation(id);
  }

  async search(text: string, limit: number): Promise<string[]> {
    const terms = searchTerms(text);
    if (terms.length === 0) return [];
    // a one-letter prefix would match most of the index: such a word must match whole
    const match = terms.map((t) => `"${t.replace(/"/g, '""')}"${t.length > 1 ? '*' : ''}`).join(' ');
    const { rows } = await sql<{ id: string }>`
      SELECT c.id FROM conversations c
      WHERE c.rowid IN (SELECT rowid FROM conversation_search WHERE conversation_search MATCH ${match} ORDER BY rowid DESC LIMIT ${HITS})
         OR c.id IN (
           SELECT m.conversation_id FROM messages m
           WHERE m.rowid IN (SELECT rowid FROM message_search WHERE message_search MATCH ${match} ORDER BY rowid DESC LIMIT ${HITS})
         )
      ORDER BY c.updated_at DESC, c.id DESC
      LIMIT ${limit}`.execute(this.db);
    return rows.map((r) => r.id);
  }
}
