import { sql } from 'kysely';
import { isPostgres } from '../../store/dialect';
import { ErrorCode, ReadMarkSchema } from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import type { Clock } from '../clock';
import type { Notifier } from '../notifier';

/**
 * Read marks, both ways: each agent's own (unread dots and counts are per
 * agent) with the highest of them kept on the conversation for the visitor's
 * "Seen", and the visitor's (the agents' "Seen"). Marks never move back and
 * never pass the conversation's last message.
 */
export class ReadMarks {
  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  /** An agent has seen `seq`; returns the agent's mark after it. */
  async agentRead(agentId: string, payload: unknown): Promise<{ seq: number }> {
    const input = parseOrThrow(ReadMarkSchema, payload);
    const now = this.clock.now().toISOString();
    const result = await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('conversations').select(['last_seq', 'visitor_read_seq', 'agent_read_seq']).where('id', '=', input.conversationId).executeTakeFirst();
      if (!row) throw new AppError(ErrorCode.NotFound, 'conversation not found');
      const seq = Math.min(input.seq, Number(row.last_seq));
      const before = await trx.selectFrom('conversation_reads').select('seq').where('conversation_id', '=', input.conversationId).where('agent_id', '=', agentId).executeTakeFirst();
      const mine = Math.max(seq, Number(before?.seq ?? 0));
      if (!before || mine > Number(before.seq)) {
        await trx
          .insertInto('conversation_reads')
          .values({ conversation_id: input.conversationId, agent_id: agentId, seq: mine, read_at: now })
          .onConflict((oc) => oc.columns(['conversation_id', 'agent_id']).doUpdateSet({ seq: mine, read_at: now }))
          .execute();
      }
      const agentReadSeq = Math.max(Number(row.agent_read_seq ?? 0), mine);
      const moved = agentReadSeq > Number(row.agent_read_seq ?? 0);
      if (moved) await trx.updateTable('conversations').set({ agent_read_seq: agentReadSeq }).where('id', '=', input.conversationId).execute();
      return { mine, changed: !before || mine > Number(before.seq), agentReadSeq, moved, visitorReadSeq: Number(row.visitor_read_seq ?? 0) };
    });
    if (result.changed) {
      this.notifier.readMoved(
        { conversationId: input.conversationId, visitorReadSeq: result.visitorReadSeq, agentId, agentReadSeq: result.mine },
        result.moved ? result.agentReadSeq : null,
      );
    }
    return { seq: result.mine };
  }

  /** The visitor (owner of the conversation) has seen `seq`; returns the mark after it. */
  async visitorRead(contactId: string, payload: unknown): Promise<{ seq: number }> {
    const input = parseOrThrow(ReadMarkSchema, payload);
    // the larger of the mark and the seq asked for, never past the last message (SQLite's scalar max/min are PostgreSQL's greatest/least)
    const [greatest, least] = isPostgres(this.db) ? [sql.raw('greatest'), sql.raw('least')] : [sql.raw('max'), sql.raw('min')];
    const mark = sql<number>`${greatest}(visitor_read_seq, ${least}(${input.seq}, last_seq))`;
    const row = await this.db
      .updateTable('conversations')
      .set({
        visitor_read_seq: mark,
        // every agent message seen: nothing waits to be emailed
        unseen_since: sql<string | null>`CASE WHEN ${mark} >= last_agent_seq THEN NULL ELSE unseen_since END`,
      })
      .where('id', '=', input.conversationId)
      .where('contact_id', '=', contactId)
      .returning(['visitor_read_seq', 'agent_read_seq'])
      .executeTakeFirst();
    if (!row) throw new AppError(ErrorCode.Forbidden, 'not your conversation');
    const seq = Number(row.visitor_read_seq);
    // the agents' "Seen", and the visitor's other tabs, which clear their unread count
    this.notifier.readMoved({ conversationId: input.conversationId, visitorReadSeq: seq, agentId: null, agentReadSeq: Number(row.agent_read_seq ?? 0) }, Number(row.agent_read_seq ?? 0));
    return { seq };
  }
}
