import { AppError } from '../../errors';
import { type Db, isUniqueViolation } from '../../store/db';
import { isPostgres } from '../../store/dialect';
import { sqliteOf } from '../../store/sqlite-handle';
import type { Clock } from '../clock';
import { type AppendRequest, type AppendResult, KyselyMessageAppend, type MessageAppend, type MessageOutbox, writerOf } from './message-append';
import { messageByClientId } from './message-pages';
import { SqliteMessageAppend } from './sqlite-message-append';

export { type AppendRequest, type AppendResult, type Author, writerOf } from './message-append';

/** The message path of a store: prepared statements on SQLite, Kysely elsewhere (PostgreSQL). */
export function messageAppendFor(db: Db): MessageAppend {
  const sqlite = isPostgres(db) ? null : sqliteOf(db);
  return sqlite ? new SqliteMessageAppend(db, sqlite) : new KyselyMessageAppend(db);
}

interface Pending extends AppendRequest {
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** Most appends committed together in one transaction: bounds how long one batch holds the event loop. */
const MAX_BATCH = 128;

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
  private readonly store: MessageAppend;
  /** Written beside each new message in its transaction (webhook deliveries); app.ts sets it. */
  outbox: MessageOutbox | null = null;

  /**
   * @param maxBatch most appends per transaction; 1 turns group commit off
   * (one transaction and one fsync per message), as the benchmark compares.
   */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly maxBatch = MAX_BATCH,
    store?: MessageAppend,
  ) {
    this.store = store ?? messageAppendFor(db);
  }

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
    for (let first = true; this.queue.length > 0; first = false) {
      // one batch per turn of the event loop: sockets, timers and the acks of the last batch go out in between
      if (!first) await new Promise((next) => setImmediate(next));
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.store.write(batch, this.clock.now().toISOString(), this.outbox);
        this.stats.commits += 1;
        this.stats.written += results.filter((r) => !(r instanceof AppError) && r.created).length;
        batch.forEach((p, i) => settle(p, results[i] as AppendResult | AppError));
      } catch {
        // something unexpected broke the shared transaction: write each on its own so one cannot fail the rest
        for (const p of batch) {
          try {
            const [result] = await this.store.write([p], this.clock.now().toISOString(), this.outbox);
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
}

function settle(p: Pending, result: AppendResult | AppError): void {
  if (result instanceof AppError) p.reject(result);
  else p.resolve(result);
}
