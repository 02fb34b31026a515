import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder, Transaction } from 'kysely';
import type { Presence } from '../../../../protocol/src';
import type { RoutingConfig } from '../../config/routing';
import type { Candidate } from '../../domain/assignment';
import type { Db } from '../../store/db';
import type { Database } from '../../store/schema';
import type { Clock } from '../clock';
import { parseJsonList } from '../json-list';
import type { ConversationRow } from '../mappers';
import { webhookConversation } from '../webhooks/payloads';
import { type WebhookRecorder, noWebhooks } from '../webhooks/webhook-service';

type Trx = Transaction<Database>;

/** A team member as routing sees it. */
export interface Member extends Candidate {
  email: string;
  name: string;
}

export interface AssignInput {
  conversationId: string;
  agentId: string;
  /** Enforce this capacity (routing's own choices); null for a person's explicit choice. */
  capacity: number | null;
  /** Only when nobody has it yet (routing and claims); transfers and admin assignment replace the assignee. */
  onlyUnassigned: boolean;
  kind: 'assigned' | 'claimed' | 'transferred';
  actorId: string | null;
  note?: string | null;
  /** Moves it to this team as well. */
  teamId?: string | null;
  reason?: string;
}

/**
 * Which conversations a requeue may touch, checked inside its transaction so
 * a claim or transfer committed after the caller looked is never undone.
 */
export type RequeueGuard =
  /** Only while this agent has it (null: only while nobody has it). */
  | { assignee: string | null; teamId?: string | null }
  /** Only while it waits, unassigned, in this team's queue. */
  | { waitingIn: string };

/** An agent's open conversations, as a `load` column of a query over `agents`. */
export function openLoad(eb: ExpressionBuilder<Database, 'agents'>) {
  return eb
    .selectFrom('conversations')
    .select(eb.fn.countAll<number>().as('n'))
    .whereRef('conversations.assignee_id', '=', 'agents.id')
    .where('conversations.status', '=', 'open')
    .as('load');
}

export const presenceOf = (value: string | null | undefined): Presence =>
  value === 'online' || value === 'away' ? value : 'offline';


/**
 * The store side of assignment. Every decision that could race is one
 * conditional statement inside a transaction, so two nodes (or two requests)
 * can never give one conversation twice or push an agent past capacity.
 */
export class AssignmentStore {
  /** Where assignments, closes and reopens are announced to webhooks (app.ts sets it). */
  webhooks: WebhookRecorder = noWebhooks;

  constructor(
    private readonly db: Db,
    private readonly config: RoutingConfig,
    private readonly clock: Clock,
  ) {}

  /** An agent's own capacity, else the config's for that email, else the largest of its teams' defaults, else the global default. */
  capacityOf(agent: { email: string; capacity?: number | null | undefined }, teamIds: readonly string[]): number {
    if (agent.capacity) return Number(agent.capacity);
    const configured = this.config.agents.find((a) => a.email === agent.email)?.capacity;
    if (configured !== undefined) return configured;
    const teamDefaults = teamIds.map((t) => this.config.teams[t]?.capacity).filter((c): c is number => c !== undefined);
    return teamDefaults.length > 0 ? Math.max(...teamDefaults) : this.config.defaultCapacity;
  }

  /** An agent's languages: its own, else the config's for that email. */
  languagesOf(agent: { email: string; languages?: string | null | undefined }): string[] {
    const own = parseJsonList(agent.languages);
    return own.length > 0 || agent.languages ? own : [...(this.config.agents.find((a) => a.email === agent.email)?.languages ?? [])];
  }

  /** Team ids by member email. */
  async teamsByEmail(emails: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (emails.length === 0) return out;
    const rows = await this.db.selectFrom('team_members').select(['team_id', 'email']).where('email', 'in', [...emails]).execute();
    for (const r of rows) out.set(r.email, [...(out.get(r.email) ?? []), r.team_id]);
    return out;
  }

  /** The team's members that have accounts, with their presence, load and capacity. */
  async members(teamId: string): Promise<Member[]> {
    const rows = await this.db
      .selectFrom('team_members')
      .innerJoin('agents', 'agents.email', 'team_members.email')
      .select(['agents.id', 'agents.email', 'agents.name', 'agents.capacity', 'agents.presence', 'agents.last_assigned_at'])
      .select((eb) => openLoad(eb))
      .where('team_members.team_id', '=', teamId)
      .execute();
    const teams = await this.teamsByEmail(rows.map((r) => r.email));
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      online: presenceOf(r.presence) === 'online',
      load: Number(r.load ?? 0),
      capacity: this.capacityOf(r, teams.get(r.email) ?? [teamId]),
      lastAssignedAt: r.last_assigned_at ?? null,
    }));
  }

  /**
   * Gives a conversation to an agent, or does nothing and returns null when
   * the conversation was taken or closed meanwhile, or the agent is full or
   * went away. The agent's row is locked first, so on Postgres concurrent
   * assignments to one agent queue up and the count below sees each committed one.
   */
  async assign(input: AssignInput): Promise<ConversationRow | null> {
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now().toISOString();
      let lock = trx
        .updateTable('agents')
        .set((eb) => ({ last_assigned_at: eb.ref('last_assigned_at') }))
        .where('id', '=', input.agentId);
      if (input.capacity !== null) lock = lock.where('presence', '=', 'online');
      const locked = await lock.executeTakeFirst();
      if (Number(locked.numUpdatedRows) === 0) return null;

      let update = trx
        .updateTable('conversations')
        .set({
          assignee_id: input.agentId,
          assigned_at: now,
          updated_at: now,
          ...(input.reason !== undefined ? { routing_reason: input.reason } : {}),
          ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
        })
        .where('id', '=', input.conversationId)
        .where('status', '=', 'open');
      if (input.onlyUnassigned) update = update.where('assignee_id', 'is', null);
      else update = update.where((eb) => eb.or([eb('assignee_id', 'is', null), eb('assignee_id', '!=', input.agentId)]));
      const capacity = input.capacity;
      if (capacity !== null) {
        update = update.where(
          (eb) =>
            eb(
              eb
                .selectFrom('conversations as mine')
                .select(eb.fn.countAll<number>().as('n'))
                .where('mine.assignee_id', '=', input.agentId)
                .where('mine.status', '=', 'open'),
              '<',
              capacity,
            ),
        );
      }
      const row = await update.returningAll().executeTakeFirst();
      if (!row) return null;
      if (input.capacity !== null) await trx.updateTable('agents').set({ last_assigned_at: now }).where('id', '=', input.agentId).execute();
      const load = await trx
        .selectFrom('conversations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('assignee_id', '=', input.agentId)
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow();
      await this.event(trx, {
        conversation_id: row.id,
        kind: input.kind,
        agent_id: input.agentId,
        team_id: row.team_id ?? null,
        actor_id: input.actorId,
        note: input.note ?? null,
        load_after: Number(load.n),
      });
      await this.webhooks.record(trx, {
        type: 'conversation.assigned',
        orderingKey: row.id,
        data: { conversation: webhookConversation(row), actorId: input.actorId, kind: input.kind },
      });
      return row;
    });
  }

  /**
   * Puts open conversations back in a team's queue (unassigning them unless
   * told not to), each only while the guard still holds; returns the rows changed.
   */
  async requeue(
    ids: readonly string[],
    change: {
      teamId?: string | null;
      queuedAt?: string;
      reason?: (row: ConversationRow) => string;
      kind: string;
      actorId: string | null;
      note?: string | null;
      /** False keeps the assignee (a move to a team the assignee is in). */
      unassign?: boolean;
    },
    guard: RequeueGuard,
  ): Promise<ConversationRow[]> {
    if (ids.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now().toISOString();
      const changed: ConversationRow[] = [];
      for (const id of ids) {
        const before = await trx.selectFrom('conversations').selectAll().where('id', '=', id).where((eb) => guardHolds(eb, guard)).executeTakeFirst();
        if (!before) continue;
        const row = await trx
          .updateTable('conversations')
          .set({
            ...(change.unassign === false ? {} : { assignee_id: null, assigned_at: null }),
            updated_at: now,
            ...(change.teamId !== undefined ? { team_id: change.teamId } : {}),
            ...(change.queuedAt !== undefined ? { queued_at: change.queuedAt } : {}),
            ...(change.reason ? { routing_reason: change.reason(before).slice(0, 1000) } : {}),
          })
          .where('id', '=', id)
          .where((eb) => guardHolds(eb, guard))
          .returningAll()
          .executeTakeFirst();
        if (!row) continue;
        await this.event(trx, {
          conversation_id: id,
          kind: change.kind,
          agent_id: before.assignee_id,
          team_id: row.team_id ?? null,
          actor_id: change.actorId,
          note: change.note ?? null,
          load_after: null,
        });
        changed.push(row);
      }
      return changed;
    });
  }

  /** Closes or reopens; returns the row, or null when it already was. */
  async setStatus(id: string, status: 'open' | 'closed', actorId: string): Promise<ConversationRow | null> {
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now().toISOString();
      const row = await trx
        .updateTable('conversations')
        .set(
          status === 'closed'
            ? { status, closed_at: now, updated_at: now }
            : { status, closed_at: null, updated_at: now, queued_at: now },
        )
        .where('id', '=', id)
        .where('status', '!=', status)
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await this.event(trx, {
        conversation_id: id,
        kind: status === 'closed' ? 'closed' : 'reopened',
        agent_id: row.assignee_id,
        team_id: row.team_id ?? null,
        actor_id: actorId,
        note: null,
        load_after: null,
      });
      await this.webhooks.record(trx, {
        type: status === 'closed' ? 'conversation.closed' : 'conversation.reopened',
        orderingKey: row.id,
        data: { conversation: webhookConversation(row), actorId },
      });
      return row;
    });
  }

  /**
   * An agent's follow-up to a closed conversation: reopens it assigned to that agent in one
   * transaction (capacity never refuses a follow-up), with a 'reopened' event noted 'follow-up'.
   * Returns the row and who had it before, or null when it was not closed (someone reopened it meanwhile).
   */
  async reopenForFollowUp(id: string, agentId: string): Promise<{ row: ConversationRow; previous: string | null; eventId: string; at: string } | null> {
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now().toISOString();
      const before = await trx.selectFrom('conversations').select(['assignee_id']).where('id', '=', id).where('status', '=', 'closed').executeTakeFirst();
      if (!before) return null;
      const row = await trx
        .updateTable('conversations')
        .set({ status: 'open', closed_at: null, updated_at: now, queued_at: now, assignee_id: agentId, assigned_at: now })
        .where('id', '=', id)
        .where('status', '=', 'closed')
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      const eventId = await this.event(trx, {
        conversation_id: id,
        kind: 'reopened',
        agent_id: agentId,
        team_id: row.team_id ?? null,
        actor_id: agentId,
        note: 'follow-up',
        load_after: null,
      });
      await this.webhooks.record(trx, { type: 'conversation.reopened', orderingKey: row.id, data: { conversation: webhookConversation(row), actorId: agentId } });
      return { row, previous: before.assignee_id, eventId, at: now };
    });
  }

  async event(
    trx: Trx | Db,
    e: { conversation_id: string; kind: string; agent_id: string | null; team_id: string | null; actor_id: string | null; note: string | null; load_after: number | null },
  ): Promise<string> {
    const id = randomUUID();
    await trx
      .insertInto('routing_events')
      .values({ id, ...e, created_at: this.clock.now().toISOString() })
      .execute();
    return id;
  }
}

// the guard as conditions on an open conversation, for the read and again for the write
function guardHolds(eb: ExpressionBuilder<Database, 'conversations'>, guard: RequeueGuard) {
  const parts = [eb('status', '=', 'open')];
  if ('waitingIn' in guard) {
    parts.push(eb('team_id', '=', guard.waitingIn), eb('assignee_id', 'is', null));
  } else {
    parts.push(guard.assignee === null ? eb('assignee_id', 'is', null) : eb('assignee_id', '=', guard.assignee));
    if (guard.teamId !== undefined) parts.push(guard.teamId === null ? eb('team_id', 'is', null) : eb('team_id', '=', guard.teamId));
  }
  return eb.and(parts);
}
