import { randomUUID } from 'node:crypto';
import { ErrorCode, type Message } from '../../../../protocol/src';
import { AppError } from '../../errors';
import { type Db, isUniqueViolation } from '../../store/db';
import type { Clock } from '../clock';
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

interface Pending extends AppendRequest {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** Most appends committed together in one transaction. */
const MAX_BATCH = 256;

/**
 * Stores messages with group commit: every append that arrives while the
 * previous transaction is committing joins the next one, so N messages cost
 * one commit (one fsync under `synchronous=FULL`) instead of N. Each caller's
 * promise settles only after the transaction holding its message committed,
 * so acks still follow the commit.
 */
export class MessageWriter {
  private queue: Pending[] = [];
  private flushing = false;
  /** Settles when the current run of flushes has emptied the queue. */
  private drained: Promise<void> = Promise.resolve();
  /** Transactions committed and messages written through them, for metrics and tests. */
  readonly stats = { commits: 0, written: 0 };

  /**
   * @param maxBatch most appends per transaction; 1 turns group commit off
   * (one transaction and one fsync per message), as the benchmark compares.
   */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  /** Stores one message once per (conversation, client id); resolves after the commit. */
  append(request: AppendRequest): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // let the rest of this turn's events join the batch
        this.drained = new Promise((done) => setImmediate(() => void this.flush().then(done, done)));
      }
    });
  }

  /** True while appends wait for their commit. */
  get busy(): boolean {
    return this.flushing;
  }

  /** Resolves once every append queued so far has committed or failed (shutdown). */
  idle(): Promise<void> {
    return this.drained;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.db.transaction().execute((trx) => this.write(trx, batch));
        this.stats.commits += 1;
        this.stats.written += results.filter((r) => !(r instanceof AppError) && r.created).length;
        batch.forEach((p, i) => settle(p, results[i] as AppendResult | AppError));
      } catch {
        // something unexpected broke the shared transaction: write each on its own so one cannot fail the rest
        for (const p of batch) {
          try {
            const [result] = await this.db.transaction().execute((trx) => this.write(trx, [p]));
            settle(p, result as AppendResult | AppError);
          } catch (error) {
            // another node stored the same client id first: answer with its message
            const winner = isUniqueViolation(error) ? await messageByClientId(this.db, p.conversationId, p.clientId, writerOf(p.author)).catch((e: unknown) => (p.reject(e), undefined)) : null;
            if (winner === undefined) continue;
            if (winner) p.resolve({ message: winner, conversation: null, created: false });
            else p.reject(error);
          }
        }
      }
    }
    this.flushing = false;
  }

  /** Writes a batch inside one transaction; an item that may not be written gets its AppError. */
  private async write(trx: Db, batch: AppendRequest[]): Promise<(AppendResult | AppError)[]> {
    const now = this.clock.now().toISOString();
    const inBatch = new Map<string, { result: AppendResult; authorKey: string }>();
    const results: (AppendResult | AppError)[] = [];
    for (const item of batch) {
      const key = `${item.conversationId}\n${item.clientId}`;
      const { author } = item;
      const writer = writerOf(author);
      const authorId = writer.id;
      const twin = inBatch.get(key);
      if (twin) {
        // the same client id twice in one batch: the same author's retry, or someone else's guess
        results.push(twin.authorKey === `${author.type}:${authorId}` ? { ...twin.result, created: false } : new AppError(ErrorCode.Conflict, 'that client id belongs to another message'));
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
          last_message_author_id: authorId,
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
        results.push(
          author.type === 'visitor'
            ? new AppError(ErrorCode.Forbidden, 'not your conversation')
            : new AppError(ErrorCode.NotFound, 'conversation not found'),
        );
        continue;
      }
      const row: MessageRow = {
        id: randomUUID(),
        conversation_id: item.conversationId,
        seq: Number(conversation.last_seq),
        client_id: item.clientId,
        author_type: author.type,
        author_id: authorId,
        author_name: author.name,
        text: item.text,
        created_at: now,
        attachment: item.attachment ?? null,
      };
      await trx.insertInto('messages').values(row).execute();
      const result = { message: toMessage(row), conversation, created: true };
      inBatch.set(key, { result, authorKey: `${author.type}:${authorId}` });
      results.push(result);
    }
    return results;
  }
}

function settle(p: Pending, result: AppendResult | AppError): void {
  if (result instanceof AppError) p.reject(result);
  else p.resolve(result);
}
