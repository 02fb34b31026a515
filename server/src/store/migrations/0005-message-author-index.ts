import type { Kysely, Migration } from 'kysely';

/**
 * Finds a conversation's messages by author and time straight from an index:
 * when an agent last wrote, and how many auto-replies went out in the last
 * hour, without reading every message of the conversation.
 */
export const messageAuthorIndex: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('messages_conversation_author_created').on('messages').columns(['conversation_id', 'author_type', 'created_at']).execute();
  },
};
