import { sql } from 'kysely';
import type { Db } from '../../store/db';
import { SEARCH_SPLIT } from '../../store/migrations/0008-console';
import { type SearchIndex, contactConversations, conversationDocument, searchTerms } from './search-index';

/** Most hits read from each index before sorting by activity: bounds a query for a common word. */
const HITS = 400;

/**
 * The PostgreSQL twin of SqliteSearchIndex: `conversation_search` holds one document per
 * conversation, messages carry a generated `search` tsvector; both have GIN indexes (migration
 * 0008). Words are split as FTS5's tokenizer splits them, and user text never reaches tsquery
 * syntax: each word (letters and digits only) becomes a quoted prefix term, all of them required.
 * One difference: accents are kept ("garcia" does not find "García"), as PostgreSQL has no
 * diacritics folding without the unaccent extension.
 */
export class PostgresSearchIndex implements SearchIndex {
  constructor(private readonly db: Db) {}

  async indexConversation(conversationId: string): Promise<void> {
    const body = await conversationDocument(this.db, conversationId);
    if (body === null) return;
    await sql`INSERT INTO conversation_search (conversation_id, body) VALUES (${conversationId}, ${body})
      ON CONFLICT (conversation_id) DO UPDATE SET body = excluded.body`.execute(this.db);
  }

  async indexContact(contactId: string): Promise<void> {
    for (const id of await contactConversations(this.db, contactId)) await this.indexConversation(id);
  }

  async search(text: string, limit: number): Promise<string[]> {
    const terms = searchTerms(text.replace(new RegExp(`[${SEARCH_SPLIT.replace(/[\]\\[-]/g, '\\$&')}]`, 'g'), ' '));
    if (terms.length === 0) return [];
    // a one-letter prefix would match most of the index: such a word must match whole
    const query = terms.map((t) => `'${t}'${t.length > 1 ? ':*' : ''}`).join(' & ');
    const { rows } = await sql<{ id: string }>`
      WITH q AS (SELECT to_tsquery('simple', ${query}) AS q)
      SELECT c.id FROM conversations c
      WHERE c.id IN (SELECT s.conversation_id FROM conversation_search s, q WHERE s.search @@ q.q ORDER BY s.seq DESC LIMIT ${HITS})
         OR c.id IN (SELECT m.conversation_id FROM messages m, q WHERE m.search @@ q.q ORDER BY m.created_at DESC LIMIT ${HITS})
      ORDER BY c.updated_at DESC, c.id DESC
      LIMIT ${limit}`.execute(this.db);
    return rows.map((r) => r.id);
  }
}
