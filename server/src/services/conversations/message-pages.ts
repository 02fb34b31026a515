import type { Message } from '../../../../protocol/src';
import type { Db } from '../../store/db';
import { toMessage } from '../mappers';

/** Up to `limit` messages after `afterSeq`, in seq order, read from the (conversation, seq) index. */
export async function messagesAfter(db: Db, conversationId: string, afterSeq: number, limit: number): Promise<{ messages: Message[]; hasMore: boolean }> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '>', afterSeq)
    .orderBy('seq', 'asc')
    .limit(limit + 1)
    .execute();
  return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
}

/** Up to `limit` messages before `beforeSeq`, the latest of them, in seq order; `hasMore` when older ones exist. */
export async function messagesBefore(db: Db, conversationId: string, beforeSeq: number, limit: number): Promise<{ messages: Message[]; hasMore: boolean }> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('seq', '<', beforeSeq)
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore: rows.length > limit };
}

/** The message stored under a client id in a conversation, if any; `db` may be a transaction. */
export async function messageByClientId(db: Db, conversationId: string, clientId: string): Promise<Message | null> {
  const row = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('client_id', '=', clientId).executeTakeFirst();
  return row ? toMessage(row) : null;
}
