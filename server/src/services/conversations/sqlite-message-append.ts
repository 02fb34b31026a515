import type SQLite from 'better-sqlite3';
import type { AppError } from '../../errors';
import type { Db } from '../../store/db';
import type { WebhookDeliveriesTable } from '../../store/schema';
import { type ConversationRow, type MessageRow, toMessage } from '../mappers';
import {
  type AppendRequest,
  type AppendResult,
  BatchTwins,
  type MessageAppend,
  type MessageOutbox,
  foreignClientId,
  newMessageRow,
  noConversation,
  writerOf,
} from './message-append';

const DELIVERY_COLUMNS = [
  'id',
  'seq',
  'endpoint_id',
  'event_id',
  'event_type',
  'ordering_key',
  'payload',
  'status',
  'attempts',
  'next_attempt_at',
  'last_status',
  'last_response',
  'last_error',
  'last_attempt_at',
  'created_at',
  'delivered_at',
] as const satisfies readonly (keyof WebhookDeliveriesTable)[];
const MESSAGE_COLUMNS = 'id, conversation_id, seq, client_id, author_type, author_id, author_name, text, created_at, attachment';
const NEXT_SEQ = `UPDATE conversations SET last_seq = last_seq + 1, last_message_text = ?, last_message_author = ?, last_message_author_id = ?,
  last_message_author_name = ?, last_message_at = ?, updated_at = ?`;

/**
 * The message path on SQLite: statements prepared once and run synchronously on
 * better-sqlite3, in one transaction per batch, while Kysely's connection is held so
 * that no other query or transaction interleaves. Same contract as {@link KyselyMessageAppend}.
 */
export class SqliteMessageAppend implements MessageAppend {
  private readonly byClientId: SQLite.Statement<[string, string], MessageRow>;
  // who the conversation now waits on: a visitor's words wait for an agent, an agent's for the
  // visitor (unseen from now until read or emailed); a bot's or the system's change nothing.
  // SQLite reads `last_seq` on the right-hand side before the update, as Kysely's version did.
  private readonly numberForVisitor: SQLite.Statement<unknown[], ConversationRow>;
  private readonly numberForAgent: SQLite.Statement<unknown[], ConversationRow>;
  private readonly numberForOthers: SQLite.Statement<unknown[], ConversationRow>;
  private readonly insert: SQLite.Statement<unknown[]>;
  private readonly insertDelivery: SQLite.Statement<unknown[]>;
  private readonly writeBatch: (batch: readonly AppendRequest[], now: string, outbox: MessageOutbox | null) => (AppendResult | AppError)[];

  constructor(
    private readonly db: Db,
    sqlite: SQLite.Database,
  ) {
    this.byClientId = sqlite.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND client_id = ?`);
    // the visitor's ownership is checked by the same statement that numbers the message
    this.numberForVisitor = sqlite.prepare(`${NEXT_SEQ}, last_visitor_seq = last_seq + 1, awaiting = 'agent' WHERE id = ? AND contact_id = ? RETURNING *`);
    this.numberForAgent = sqlite.prepare(
      `${NEXT_SEQ}, awaiting = 'visitor', last_agent_seq = last_seq + 1, unseen_since = coalesce(unseen_since, ?) WHERE id = ? RETURNING *`,
    );
    this.numberForOthers = sqlite.prepare(`${NEXT_SEQ} WHERE id = ? RETURNING *`);
    this.insert = sqlite.prepare(`INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertDelivery = sqlite.prepare(`INSERT INTO webhook_deliveries (${DELIVERY_COLUMNS.join(', ')}) VALUES (${DELIVERY_COLUMNS.map(() => '?').join(', ')})`);
    this.writeBatch = sqlite.transaction((batch: readonly AppendRequest[], now: string, outbox: MessageOutbox | null) => batch.map(this.writeOne(new BatchTwins(), now, outbox)));
  }

  write(batch: readonly AppendRequest[], now: string, outbox: MessageOutbox | null = null): Promise<(AppendResult | AppError)[]> {
    // Kysely's connection is held for the whole transaction: nothing else runs on it meanwhile
    return this.db.connection().execute(async () => this.writeBatch(batch, now, outbox));
  }

  private writeOne(twins: BatchTwins, now: string, outbox: MessageOutbox | null) {
    return (item: AppendRequest): AppendResult | AppError => {
      const { author } = item;
      const writer = writerOf(author);
      const twin = twins.answer(item, writer);
      if (twin) return twin;
      // a retry finds its own message; someone else's client id is refused before anything is read out
      const existing = this.byClientId.get(item.conversationId, item.clientId);
      if (existing) return foreignClientId(existing, writer) ?? { message: toMessage(existing), conversation: null, created: false };
      const head = [item.text.slice(0, 200), author.type, writer.id, author.name, now, now];
      const conversation =
        author.type === 'visitor'
          ? this.numberForVisitor.get(...head, item.conversationId, author.contactId)
          : author.type === 'agent'
            ? this.numberForAgent.get(...head, now, item.conversationId)
            : this.numberForOthers.get(...head, item.conversationId);
      if (!conversation) return noConversation(author);
      const row = newMessageRow(item, writer, Number(conversation.last_seq), now);
      this.insert.run(row.id, row.conversation_id, row.seq, row.client_id, row.author_type, row.author_id, row.author_name, row.text, row.created_at, row.attachment);
      const result = { message: toMessage(row), conversation, created: true };
      // webhook deliveries of the new message, in its transaction (none when nothing subscribes)
      for (const d of outbox?.rowsFor(result.message, conversation) ?? []) this.insertDelivery.run(...DELIVERY_COLUMNS.map((c) => d[c]));
      twins.add(item, writer, result);
      return result;
    };
  }
}
