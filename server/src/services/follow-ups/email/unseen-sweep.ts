import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../logger';
import type { Db } from '../../../store/db';
import type { Clock } from '../../clock';
import type { SiteDirectory } from '../../site-directory';
import { defaultFollowUps } from '../follow-ups-config';

/** Conversations looked at per sweep: a backlog is worked off over a few sweeps, never in one long run. */
export const SWEEP_BATCH = 200;

export interface SweepResult {
  /** Emails put in the outbox. */
  queued: number;
  /** Conversations whose wait ended without an email (seen, no address, opted out). */
  cleared: number;
}

/**
 * Finds agent messages that have waited unseen longer than their site's delay and turns
 * each conversation's batch of them into one outbox row. The conversations come from the
 * `unseen_since` index, a bounded page per distinct delay; each is decided in one transaction, and
 * the conditional update on `unseen_since` makes sure two sweeps (or nodes) never queue
 * the same batch twice.
 */
export class UnseenSweep {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sites: SiteDirectory,
    private readonly log?: Logger,
  ) {}

  async run(): Promise<SweepResult> {
    const now = this.clock.now();
    const result: SweepResult = { queued: 0, cleared: 0 };
    const delayOf = new Map<string, number>();
    for (const siteId of this.sites.ids()) {
      delayOf.set(siteId, this.sites.get(siteId)?.followUps?.email?.delayMinutes ?? defaultFollowUps.email.delayMinutes);
    }
    // one index range per distinct delay, the longest first: everything in its range is due, so a busy
    // site with a long delay never holds back the others for longer than that delay
    const delays = [...new Set(delayOf.values())].sort((a, b) => b - a);
    for (const delayMinutes of delays) {
      const cutoff = new Date(now.getTime() - delayMinutes * 60_000).toISOString();
      // the site is checked here rather than in SQL, so the query reads the unseen_since index alone
      const due = await this.db
        .selectFrom('conversations')
        .select(['id', 'site_id', 'unseen_since'])
        .where('unseen_since', 'is not', null)
        .where('unseen_since', '<=', cutoff)
        .orderBy('unseen_since')
        .limit(SWEEP_BATCH)
        .execute();
      for (const row of due) {
        const since = row.unseen_since as string;
        const siteDelay = delayOf.get(row.site_id) ?? defaultFollowUps.email.delayMinutes;
        if (Date.parse(since) > now.getTime() - siteDelay * 60_000) continue;
        // one conversation's failure (another node's write in between) leaves it for the next sweep
        const outcome = await this.decide(row.id, since, now.toISOString()).catch((error: unknown) => {
          this.log?.warn({ err: error, conversationId: row.id }, 'unseen-message check failed; retried at the next sweep');
          return 'skipped' as const;
        });
        if (outcome === 'queued') result.queued += 1;
        else if (outcome === 'cleared') result.cleared += 1;
      }
    }
    return result;
  }

  private decide(conversationId: string, since: string, now: string): Promise<'queued' | 'cleared' | 'skipped'> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('conversations')
        .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
        .select([
          'conversations.site_id',
          'conversations.contact_id',
          'conversations.last_agent_seq',
          'conversations.visitor_read_seq',
          'conversations.emailed_seq',
          'contacts.email',
          'contacts.language',
          'contacts.follow_ups_opted_out_at',
        ])
        .where('conversations.id', '=', conversationId)
        .where('conversations.unseen_since', '=', since)
        .executeTakeFirst();
      // read, emailed or moved on since the page was read
      if (!row) return 'skipped';
      const lastAgentSeq = Number(row.last_agent_seq ?? 0);
      const readSeq = Number(row.visitor_read_seq ?? 0);
      const emailedSeq = Number(row.emailed_seq ?? 0);
      const fromSeq = Math.max(emailedSeq, readSeq);
      const claim = await trx
        .updateTable('conversations')
        .set(fromSeq < lastAgentSeq && row.email && !row.follow_ups_opted_out_at ? { unseen_since: null, emailed_seq: lastAgentSeq } : { unseen_since: null })
        .where('id', '=', conversationId)
        .where('unseen_since', '=', since)
        .executeTakeFirst();
      if (Number(claim.numUpdatedRows) === 0) return 'skipped';
      if (fromSeq >= lastAgentSeq || !row.email || row.follow_ups_opted_out_at) return 'cleared';
      await trx
        .insertInto('email_outbox')
        .values({
          id: randomUUID(),
          kind: 'unseen',
          site_id: row.site_id,
          contact_id: row.contact_id,
          conversation_id: conversationId,
          to_address: row.email,
          language: row.language ?? 'en',
          from_seq: fromSeq,
          to_seq: lastAgentSeq,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          last_error: null,
          message_id: null,
          created_at: now,
          sent_at: null,
        })
        .execute();
      return 'queued';
    });
  }
}
