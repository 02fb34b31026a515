import { randomUUID } from 'node:crypto';
import { ErrorCode, TranscriptRequestSchema } from '../../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../../errors';
import type { Db } from '../../../store/db';
import type { Clock } from '../../clock';

/** A visitor may ask for one conversation's transcript once in this long. */
export const TRANSCRIPT_INTERVAL_MS = 5 * 60_000;

/**
 * The visitor's "email me this conversation": checked (their own conversation, an
 * address to send to, not asked for in the last five minutes) and put in the outbox
 * in one transaction; the outbox sends it.
 */
export class TranscriptRequests {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async request(contactId: string, payload: unknown): Promise<{ queued: true }> {
    const { conversationId } = parseOrThrow(TranscriptRequestSchema, payload);
    const now = this.clock.now();
    const stamp = now.toISOString();
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('conversations')
        .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
        .select(['conversations.site_id', 'conversations.last_seq', 'contacts.email', 'contacts.language'])
        .where('conversations.id', '=', conversationId)
        .where('conversations.contact_id', '=', contactId)
        .executeTakeFirst();
      if (!row) throw new AppError(ErrorCode.Forbidden, 'not your conversation');
      if (!row.email) throw new AppError(ErrorCode.Conflict, 'no email address is known for you');
      if (Number(row.last_seq) === 0) throw new AppError(ErrorCode.Conflict, 'the conversation has no messages yet');
      const last = await trx
        .selectFrom('email_outbox')
        .select('created_at')
        .where('conversation_id', '=', conversationId)
        .where('kind', '=', 'transcript')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (last && now.getTime() - Date.parse(last.created_at) < TRANSCRIPT_INTERVAL_MS) {
        throw new AppError(ErrorCode.RateLimited, 'the transcript was sent a moment ago; try again in a few minutes');
      }
      await trx
        .insertInto('email_outbox')
        .values({
          id: randomUUID(),
          kind: 'transcript',
          site_id: row.site_id,
          contact_id: contactId,
          conversation_id: conversationId,
          to_address: row.email,
          language: row.language ?? 'en',
          from_seq: 0,
          to_seq: Number(row.last_seq),
          status: 'pending',
          attempts: 0,
          next_attempt_at: stamp,
          last_error: null,
          message_id: null,
          created_at: stamp,
          sent_at: null,
        })
        .execute();
    });
    return { queued: true };
  }
}
