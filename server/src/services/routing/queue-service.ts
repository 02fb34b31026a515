import type { VisitorConversation } from '../../../../protocol/src';
import type { QueueEntry } from '../../domain/assignment';
import type { Db } from '../../store/db';
import type { ConversationRow } from '../mappers';

/** Where waiting visitors hear their place. */
export interface QueueNotifier {
  /** A visitor-side update carrying `queuePosition`. */
  visitorConversationChanged(view: VisitorConversation): void;
}

/** A conversation's key in its team's queue order. */
export const queueKey = (row: Pick<ConversationRow, 'id' | 'priority' | 'queued_at' | 'created_at'>): QueueEntry => ({
  id: row.id,
  priority: Number(row.priority ?? 1),
  queuedAt: row.queued_at ?? row.created_at,
});

const waiting = (row: Pick<ConversationRow, 'status' | 'assignee_id' | 'team_id'>): row is typeof row & { team_id: string } =>
  row.status === 'open' && row.assignee_id === null && row.team_id !== null;

/**
 * Places in the teams' queues: a conversation's place is a count of those
 * ahead of it, and when the queue changes only the visitors from the changed
 * place on hear their new place.
 */
export class QueueService {
  constructor(
    private readonly db: Db,
    private readonly notify: QueueNotifier,
  ) {}

  /** Conversations waiting in a team's queue, in queue order, from the `offset`th (0-based) on. */
  async entries(teamId: string, limit = 10_000, offset = 0): Promise<(QueueEntry & { siteId: string; lastSeq: number })[]> {
    let q = this.db
      .selectFrom('conversations')
      .select(['id', 'priority', 'queued_at', 'created_at', 'site_id', 'last_seq'])
      .where('team_id', '=', teamId)
      .where('status', '=', 'open')
      .where('assignee_id', 'is', null)
      .orderBy('priority', 'desc')
      .orderBy('queued_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit);
    if (offset > 0) q = q.offset(offset);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      priority: Number(r.priority ?? 1),
      queuedAt: r.queued_at ?? r.created_at,
      siteId: r.site_id,
      lastSeq: Number(r.last_seq),
    }));
  }

  /**
   * How many wait ahead of a conversation with this priority, arrival and id
   * in a team's queue, whether or not it is in that queue itself: a count over
   * the queue index, not a read of the whole queue.
   */
  async ahead(teamId: string, at: QueueEntry): Promise<number> {
    const row = await this.db
      .selectFrom('conversations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('team_id', '=', teamId)
      .where('status', '=', 'open')
      .where('assignee_id', 'is', null)
      .where((eb) =>
        eb.or([
          eb('priority', '>', at.priority),
          eb.and([
            eb('priority', '=', at.priority),
            eb.or([eb('queued_at', '<', at.queuedAt), eb.and([eb('queued_at', '=', at.queuedAt), eb('id', '<', at.id)])]),
          ]),
        ]),
      )
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** 1-based place of a waiting conversation; null when it is not waiting in a queue. */
  async position(conversationId: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('conversations')
      .select(['id', 'team_id', 'status', 'assignee_id', 'priority', 'queued_at', 'created_at'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    return row ? this.positionOf(row) : null;
  }

  /** The place of a row just read or written. */
  async positionOf(row: Pick<ConversationRow, 'id' | 'team_id' | 'status' | 'assignee_id' | 'priority' | 'queued_at' | 'created_at'>): Promise<number | null> {
    if (!waiting(row)) return null;
    return (await this.ahead(row.team_id, queueKey(row))) + 1;
  }

  /** Tells each visitor waiting in a team's queue, from place `from` on, their place. */
  async publish(teamId: string, from = 1): Promise<void> {
    const entries = await this.entries(teamId, 10_000, from - 1);
    entries.forEach((entry, i) =>
      this.notify.visitorConversationChanged({ id: entry.id, siteId: entry.siteId, status: 'open', lastSeq: entry.lastSeq, queuePosition: from + i }),
    );
  }

  /**
   * After conversations joined or left a queue (`teamId`: the queue they
   * left; else each row's own team), tells the visitors from the first place
   * that moved on, once per team.
   */
  async publishChanged(rows: readonly Pick<ConversationRow, 'id' | 'team_id' | 'priority' | 'queued_at' | 'created_at'>[], teamId?: string | null): Promise<void> {
    const from = new Map<string, number>();
    for (const row of rows) {
      const team = teamId === undefined ? row.team_id : teamId;
      if (!team) continue;
      const place = (await this.ahead(team, queueKey(row))) + 1;
      from.set(team, Math.min(place, from.get(team) ?? place));
    }
    for (const [team, place] of from) await this.publish(team, place);
  }
}
