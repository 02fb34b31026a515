import { ErrorCode } from '../../../../protocol/src';
import { AppError } from '../../errors';
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

/** Who wrote a message, as the writer knows them: the author type and the contact's or agent's id. */
export interface Writer {
  type: string;
  id: string | null;
}

/**
 * The message `writer` stored under a client id in a conversation, if any; `db` may be a
 * transaction. A client id only ever answers its own author: one that names someone else's
 * message is refused, so guessing a client id can never read another's words.
 */
export async function messageByClientId(db: Db, conversationId: string, clientId: string, writer: Writer): Promise<Message | null> {
  const row = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('client_id', '=', clientId).executeTakeFirst();
  if (!row) return null;
  if (row.author_type !== writer.type || (row.author_id ?? null) !== writer.id) {
    throw new AppError(writer.type === 'visitor' ? ErrorCode.Forbidden : ErrorCode.Conflict, writer.type === 'visitor' ? 'not your conversation' : 'that client id belongs to another message');
  }
  return toMessage(row);
}
