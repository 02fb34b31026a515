import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { isPostgres } from '../../store/dialect';
import type { TimelineEvent } from '../../../../protocol/src/index';
import type { Db } from '../../store/db';
import type { Clock } from '../clock';
import type { Notifier } from '../notifier';

/** Most events a conversation's detail carries (the latest ones). */
const EVENTS_SHOWN = 500;

/**
 * A conversation's timeline for agents: routing's events (assigned, queued,
 * transferred, closed, reopened…) and the console's own (labelled, unlabelled),
 * one table, with the names of who did it and whom it concerns.
 */
export class Timeline {
  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  async list(conversationId: string): Promise<TimelineEvent[]> {
    const rows = await this.db
      .selectFrom('routing_events as e')
      .leftJoin('agents as actor', 'actor.id', 'e.actor_id')
      .leftJoin('agents as agent', 'agent.id', 'e.agent_id')
      .select(['e.id', 'e.conversation_id', 'e.kind', 'e.team_id', 'e.note', 'e.created_at', 'actor.name as actor_name', 'agent.name as agent_name'])
      .where('e.conversation_id', '=', conversationId)
      .orderBy('e.created_at', 'desc')
      // events of one instant keep the order they were written in (PostgreSQL: ctid is the heap's order, which an insert-only table keeps)
      .orderBy(isPostgres(this.db) ? sql`e.ctid` : sql`e.rowid`, 'desc')
      .limit(EVENTS_SHOWN)
      .execute();
    return rows.reverse().map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      kind: r.kind,
      actorName: r.actor_name ?? null,
      agentName: r.agent_name ?? null,
      teamId: r.team_id,
      note: r.note,
      createdAt: r.created_at,
    }));
  }

  /** Records an event by an agent and announces it to the agents who have the conversation open. */
  async record(conversationId: string, kind: string, actor: { id: string; name: string } | null, note: string | null, db: Db = this.db): Promise<TimelineEvent> {
    const event: TimelineEvent = {
      id: randomUUID(),
      conversationId,
      kind,
      actorName: actor?.name ?? null,
      agentName: null,
      teamId: null,
      note,
      createdAt: this.clock.now().toISOString(),
    };
    await db
      .insertInto('routing_events')
      .values({ id: event.id, conversation_id: conversationId, kind, agent_id: null, team_id: null, actor_id: actor?.id ?? null, note, load_after: null, created_at: event.createdAt })
      .execute();
    return event;
  }

  /** Tells agents after the commit. */
  announce(event: TimelineEvent): void {
    this.notifier.timelineEvent(event);
  }
}
