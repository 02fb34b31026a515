import {
  AssignConversationSchema,
  type ConversationSummary,
  ConversationRefSchema,
  ErrorCode,
  type TimelineEvent,
  TransferConversationSchema,
} from '../../../../protocol/src';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import type { AgentIdentity } from '../auth-service';
import type { Clock } from '../clock';
import type { ConversationRow } from '../mappers';
import type { RoutingService } from './routing-service';

/**
 * What agents do by hand: close and reopen, claim from Unassigned, transfer to
 * an agent or a team with a note, and (admins) assign anyone.
 */
export class AssignmentService {
  constructor(
    private readonly db: Db,
    private readonly routing: RoutingService,
    private readonly clock: Clock,
  ) {}

  private async row(id: string): Promise<ConversationRow> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError(ErrorCode.NotFound, 'conversation not found');
    return row;
  }

  private async agent(id: string) {
    const agent = await this.db.selectFrom('agents').select(['id', 'name', 'email', 'deactivated_at']).where('id', '=', id).executeTakeFirst();
    if (!agent) throw new AppError(ErrorCode.NotFound, 'no such agent');
    if (agent.deactivated_at) throw new AppError(ErrorCode.Conflict, `${agent.name} was deactivated and cannot take conversations`);
    return agent;
  }

  // the assignee, an admin, or anyone while nobody has it
  private mayHandle(actor: AgentIdentity, row: ConversationRow): void {
    if (actor.role === 'admin' || row.assignee_id === null || row.assignee_id === actor.id) return;
    throw new AppError(ErrorCode.Forbidden, 'this conversation belongs to another agent');
  }

  /** Closes a conversation; its agent's freed slot goes to the head of their queues. */
  async close(actor: AgentIdentity, payload: unknown): Promise<ConversationSummary> {
    const { conversationId } = parseOrThrow(ConversationRefSchema, payload);
    const before = await this.row(conversationId);
    this.mayHandle(actor, before);
    const row = await this.routing.store.setStatus(conversationId, 'closed', actor.id);
    if (!row) throw new AppError(ErrorCode.ConversationClosed, 'the conversation is already closed');
    const assignee = row.assignee_id;
    await this.routing.afterCommit(
      'closing a conversation',
      () => this.routing.announce(row),
      // it left its queue: those behind it move up
      () => (assignee === null ? this.routing.queue.publishChanged([row]) : undefined),
      () => (assignee ? this.routing.agentsChanged([assignee]) : undefined),
      () => (assignee ? this.routing.drainForAgent(assignee) : undefined),
    );
    return this.routing.summary(row);
  }

  /** Reopens a conversation: it stays with its agent, or waits in its team's queue. */
  async reopen(actor: AgentIdentity, payload: unknown): Promise<ConversationSummary> {
    const { conversationId } = parseOrThrow(ConversationRefSchema, payload);
    this.mayHandle(actor, await this.row(conversationId));
    const row = await this.routing.store.setStatus(conversationId, 'open', actor.id);
    if (!row) throw new AppError(ErrorCode.Conflict, 'the conversation is already open');
    const { assignee_id: assignee, team_id: team } = row;
    await this.routing.afterCommit(
      'reopening a conversation',
      () => this.routing.announce(row),
      () => (assignee ? this.routing.agentsChanged([assignee]) : this.routing.queue.publishChanged([row])),
      () => (!assignee && team ? this.routing.drain(team) : undefined),
    );
    return this.routing.summary(row);
  }

  /** Takes an unassigned conversation for oneself (a person's choice: capacity does not stop it). */
  async claim(actor: AgentIdentity, payload: unknown): Promise<ConversationSummary> {
    const { conversationId } = parseOrThrow(ConversationRefSchema, payload);
    const row = await this.row(conversationId);
    if (row.status !== 'open') throw new AppError(ErrorCode.ConversationClosed, 'the conversation is closed');
    if (row.assignee_id !== null) throw new AppError(ErrorCode.Conflict, 'someone already has this conversation');
    return this.routing.assignManually(
      { conversationId, agentId: actor.id, capacity: null, onlyUnassigned: true, kind: 'claimed', actorId: actor.id },
      null,
    );
  }

  /**
   * Replying to an unassigned open conversation takes it (as respond.io does), unless the agent
   * is at capacity: then the reply is refused with a sentence saying so, and nothing changes.
   * Returns true when the conversation was claimed.
   */
  async claimForReply(actor: AgentIdentity, conversationId: string, capacityOf: (agentId: string) => Promise<{ capacity: number; load: number } | null>): Promise<boolean> {
    const row = await this.db.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', conversationId).executeTakeFirst();
    if (!row || row.status !== 'open' || row.assignee_id !== null) return false;
    const limits = await capacityOf(actor.id);
    if (limits && limits.load >= limits.capacity) {
      throw new AppError(
        ErrorCode.Conflict,
        `You already have ${limits.load} open conversations, your capacity of ${limits.capacity}: close one or ask an admin to assign this one to you.`,
      );
    }
    try {
      await this.claim(actor, { conversationId });
      return true;
    } catch (error) {
      // someone claimed it a moment ago: the reply still goes out, under their assignment
      if (error instanceof AppError && error.code === ErrorCode.Conflict) return false;
      throw error;
    }
  }

  /**
   * Writing to a closed conversation is a follow-up: it reopens assigned to the writer in the same
   * step, whatever their load. Returns true when it reopened (false: it was open already).
   */
  async reopenForFollowUp(actor: Pick<AgentIdentity, 'id' | 'name'>, conversationId: string, timeline?: (event: TimelineEvent) => void): Promise<boolean> {
    const done = await this.routing.store.reopenForFollowUp(conversationId, actor.id);
    if (!done) return false;
    const { row, previous } = done;
    await this.routing.afterCommit(
      'reopening a conversation for a follow-up',
      () => this.routing.announce(row),
      () => this.routing.agentsChanged(previous && previous !== actor.id ? [actor.id, previous] : [actor.id]),
      () =>
        void timeline?.({
          id: done.eventId,
          conversationId,
          kind: 'reopened',
          actorName: actor.name,
          agentName: actor.name,
          teamId: row.team_id ?? null,
          note: 'follow-up',
          createdAt: done.at,
        }),
    );
    return true;
  }

  /** Admins only: gives any open conversation to any agent. */
  async assign(actor: AgentIdentity, payload: unknown): Promise<ConversationSummary> {
    if (actor.role !== 'admin') throw new AppError(ErrorCode.Forbidden, 'only admins assign conversations to others');
    const input = parseOrThrow(AssignConversationSchema, payload);
    const row = await this.row(input.conversationId);
    return this.handTo(row, input.agentId, actor, 'assigned', null, (name) => `assigned to ${name} by ${actor.name}`);
  }

  /** Hands a conversation to an agent or to a team's queue, with a note only agents see. */
  async transfer(actor: AgentIdentity, payload: unknown): Promise<ConversationSummary> {
    const input = parseOrThrow(TransferConversationSchema, payload);
    const row = await this.row(input.conversationId);
    this.mayHandle(actor, row);
    if (row.status !== 'open') throw new AppError(ErrorCode.ConversationClosed, 'the conversation is closed');
    const note = input.note ? `: "${input.note}"` : '';
    if (input.agentId !== undefined) {
      return this.handTo(row, input.agentId, actor, 'transferred', input.note || null, (name) => `transferred to ${name} by ${actor.name}${note}`);
    }
    const teamId = input.teamId as string;
    const team = this.routing.config.teams[teamId];
    if (!team) throw new AppError(ErrorCode.NotFound, `no team ${teamId}`);
    const [moved] = await this.routing.store.requeue(
      [row.id],
      {
        teamId,
        queuedAt: this.clock.now().toISOString(),
        kind: 'transferred',
        actorId: actor.id,
        note: input.note || null,
        reason: (r) => this.appendReason(r, `transferred to team ${team.name} by ${actor.name}${note}`),
      },
      // only as the actor saw it: a claim or transfer made since is not undone
      { assignee: row.assignee_id, teamId: row.team_id },
    );
    if (!moved) throw new AppError(ErrorCode.Conflict, 'the conversation was closed or taken meanwhile');
    const previous = row.assignee_id;
    await this.routing.afterCommit(
      'transferring a conversation to a team',
      () => this.routing.announce(moved),
      () => (previous ? this.routing.agentsChanged([previous]) : undefined),
      () => (previous ? this.routing.drainForAgent(previous) : undefined),
      () => (previous === null && row.team_id ? this.routing.queue.publishChanged([row], row.team_id) : undefined),
      () => this.routing.queue.publishChanged([moved]),
      () => this.routing.drain(teamId),
    );
    return this.routing.summary(moved);
  }

  /** Gives the conversation to another agent by a person's choice (capacity does not stop it), noting why. */
  private async handTo(
    row: ConversationRow,
    agentId: string,
    actor: AgentIdentity,
    kind: 'assigned' | 'transferred',
    note: string | null,
    describe: (agentName: string) => string,
  ): Promise<ConversationSummary> {
    const agent = await this.agent(agentId);
    if (row.assignee_id === agent.id) throw new AppError(ErrorCode.Conflict, `${agent.name} already has this conversation`);
    return this.routing.assignManually(
      {
        conversationId: row.id,
        agentId: agent.id,
        capacity: null,
        onlyUnassigned: false,
        kind,
        actorId: actor.id,
        note,
        reason: this.appendReason(row, describe(agent.name)),
      },
      row.assignee_id,
    );
  }

  private appendReason(row: ConversationRow, what: string): string {
    const base = row.routing_reason ?? '';
    return (base ? `${base}; ${what}` : what).slice(-1000);
  }
}
