import { randomUUID } from 'node:crypto';
import { ErrorCode, type Message } from '../../../../protocol/src';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import type { WebhookDeliveriesTable } from '../../store/schema';
import { type ConversationRow, type MessageRow, toMessage } from '../mappers';
import { type Writer, messageByClientId } from './message-pages';

/** Who is speaking: a visitor (by contact), an agent, the bot (auto-replies) or the system. */
export type Author =
  | { type: 'visitor'; contactId: string; name: string | null }
  | { type: 'agent'; agentId: string; name: string }
  | { type: 'bot'; name: string }
  | { type: 'system'; name: string | null };

/** Who wrote it, as messages store it: the author type and the contact's or agent's id (none for the bot and the system). */
export function writerOf(author: Author): Writer {
  return { type: author.type, id: author.type === 'agent' ? author.agentId : author.type === 'visitor' ? author.contactId : null };
}

/** One message to store. A visitor's append also proves the conversation is theirs. */
export interface AppendRequest {
  conversationId: string;
  clientId: string;
  text: string;
  author: Author;
  /** JSON of an Attachment the message carries. */
  attachment?: string | null;
}

/** What an append became: a new message (with the conversation after it) or the one stored before. */
export type AppendResult = { message: Message; conversation: ConversationRow | null; created: boolean };

/**
 * The store's side of the message path: one batch of appends written in one transaction. Each
 * item is stored once per (conversation, client id): a retry by the same author answers the
 * message stored before, someone else's client id is refused, and a visitor may write only in
 * their own conversation (checked by the statement that numbers the message). The promise
 * resolves after the commit; an item that may not be written gets its AppError, and an
 * unexpected failure rejects the whole batch (nothing of it is committed).
 */
export interface MessageAppend {
  write(batch: readonly AppendRequest[], now: string, outbox?: MessageOutbox | null): Promise<(AppendResult | AppError)[]>;
}

/**
 * What a new message writes beside itself in its transaction: the webhook deliveries of
 * `message.created` (WebhookService). Synchronous, from what the outbox already knows, so the
 * SQLite path can run it inside better-sqlite3's transaction.
 */
export interface MessageOutbox {
  rowsFor(message: Message, conversation: ConversationRow): WebhookDeliveriesTable[];
}

/** The refusal for an existing message under this client id that `writer` did not write, else null. */
export function foreignClientId(row: Pick<MessageRow, 'author_type' | 'author_id'>, writer: Writer): AppError | null {
  if (row.author_type === writer.type && (row.author_id ?? null) === writer.id) return null;
  return writer.type === 'visitor'
    ? new AppError(ErrorCode.Forbidden, 'not your conversation')
    : new AppError(ErrorCode.Conflict, 'that client id belongs to another message');
}

/** The refusal when no conversation took the message: not the visitor's, or not there. */
export function noConversation(author: Author): AppError {
  return author.type === 'visitor' ? new AppError(ErrorCode.Forbidden, 'not your conversation') : new AppError(ErrorCode.NotFound, 'conversation not found');
}

/** The new message's row, numbered `seq`. */
export function newMessageRow(item: AppendRequest, writer: Writer, seq: number, now: string): MessageRow {
  return {
    id: randomUUID(),
    conversation_id: item.conversationId,
    seq,
    client_id: item.clientId,
    author_type: item.author.type,
    author_id: writer.id,
    author_name: item.author.name,
    text: item.text,
    created_at: now,
    attachment: item.attachment ?? null,
  };
}

/**
 * Remembers what each (conversation, client id) became earlier in a batch: the same client id
 * twice in one batch is the same author's retry, or someone else's guess.
 */
export class BatchTwins {
  private readonly seen = new Map<string, { result: AppendResult; writer: Writer }>();

  /** The answer for an item whose client id came earlier in the batch, or undefined. */
  answer(item: AppendRequest, writer: Writer): AppendResult | AppError | undefined {
    const twin = this.seen.get(`${item.conversationId}\n${item.clientId}`);
    if (!twin) return undefined;
    if (twin.writer.type === writer.type && twin.writer.id === writer.id) return { ...twin.result, created: false };
    return new AppError(ErrorCode.Conflict, 'that client id belongs to another message');
  }

  add(item: AppendRequest, writer: Writer, result: AppendResult): void {
    this.seen.set(`${item.conversationId}\n${item.clientId}`, { result, writer });
  }
}

/** The message path through Kysely: any dialect (PostgreSQL's until it gets its own). */
export class KyselyMessageAppend implements MessageAppend {
  constructor(private readonly db: Db) {}

  write(batch: readonly AppendRequest[], now: string, outbox?: MessageOutbox | null): Promise<(AppendResult | AppError)[]> {
    return this.db.transaction().execute(async (trx) => {
      const twins = new BatchTwins();
      const results: (AppendResult | AppError)[] = [];
      for (const item of batch) {
        const { author } = item;
        const writer = writerOf(author);
        const twin = twins.answer(item, writer);
        if (twin) {
          results.push(twin);
          continue;
        }
        // a retry finds its own message; someone else's client id is refused before anything is read out
        let existing: Message | null;
        try {
          existing = await messageByClientId(trx, item.conversationId, item.clientId, writer);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push(error);
          continue;
        }
        if (existing) {
          results.push({ message: existing, conversation: null, created: false });
          continue;
        }
        let update = trx
          .updateTable('conversations')
          .set((eb) => ({
            last_seq: eb('last_seq', '+', 1),
            last_message_text: item.text.slice(0, 200),
            last_message_author: author.type,
            last_message_author_id: writer.id,
            last_message_author_name: author.name,
            last_message_at: now,
            updated_at: now,
            // who the conversation now waits on: a bot's or the system's words change nothing
            ...(author.type === 'visitor' ? { last_visitor_seq: eb('last_seq', '+', 1), awaiting: 'agent' as const } : {}),
            // an agent's words wait unseen from now until the visitor reads them (or an email carries them)
            ...(author.type === 'agent'
              ? { awaiting: 'visitor' as const, last_agent_seq: eb('last_seq', '+', 1), unseen_since: eb.fn.coalesce('unseen_since', eb.val(now)) }
              : {}),
          }))
          .where('id', '=', item.conversationId);
        // the visitor's ownership is checked by the same statement that numbers the message
        if (author.type === 'visitor') update = update.where('contact_id', '=', author.contactId);
        const conversation = await update.returningAll().executeTakeFirst();
        if (!conversation) {
          results.push(noConversation(author));
          continue;
        }
        const row = newMessageRow(item, writer, Number(conversation.last_seq), now);
        await trx.insertInto('messages').values(row).execute();
        const result = { message: toMessage(row), conversation, created: true };
        const deliveries = outbox?.rowsFor(result.message, conversation) ?? [];
        if (deliveries.length) await trx.insertInto('webhook_deliveries').values(deliveries).execute();
        twins.add(item, writer, result);
        results.push(result);
      }
      return results;
    });
  }
}
