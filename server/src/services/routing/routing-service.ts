import { type AgentSummary, type ConversationSummary, ErrorCode, type VisitorConversation } from '../../../../protocol/src';
import type { RoutingConfig } from '../../config/routing';
import { type Candidate, allAtCapacity, chooseAgent, compareQueue } from '../../domain/assignment';
import { route } from '../../domain/routing';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { type AssignInput, AssignmentStore } from './assignment-store';
import type { AvailabilityProbe } from '../auto-replies/auto-reply-service';
import type { Clock } from '../clock';
import type { ConversationListener, ConversationService } from '../conversations/conversation-service';
import { type ConversationRow, toSummary } from '../mappers';
import { QueueService } from './queue-service';
import { earlierConversations, routingFacts } from './routing-facts';

/** What routing announces beyond the conversation upserts: queue positions and agents' changes. */
export interface RoutingNotifier {
  /** A visitor-side update carrying `queuePosition`. */
  visitorConversationChanged(view: VisitorConversation): void;
  agentChanged(agent: AgentSummary): void;
}

/**
 * Routing and assignment: decides each new conversation's team and priority,
 * serves each team's queue within agents' capacity, and announces queue places.
 * Every decision is committed by the AssignmentStore; the in-process coalescing
 * of drains only saves work, it is never what keeps things correct.
 */
export class RoutingService {
  readonly store: AssignmentStore;
  /** Places in the queues, and telling waiting visitors theirs. */
  readonly queue: QueueService;
  private readonly draining = new Map<string, { again: boolean; done: Promise<void> }>();

  constructor(
    private readonly db: Db,
    readonly config: RoutingConfig,
    private readonly conversations: ConversationService,
    private readonly notify: RoutingNotifier,
    private readonly clock: Clock,
    private readonly log?: Logger,
  ) {
    this.store = new AssignmentStore(db, config, clock);
    this.queue = new QueueService(db, notify);
  }

  /** The conversation listener that routes each new conversation once it is committed. */
  listener(): ConversationListener {
    return { conversationStarted: (row) => this.routeNew(row) };
  }

  /** Routes a new conversation: records the decision, tries the returning contact's agent, then serves the team's queue. */
  async routeNew(row: ConversationRow): Promise<void> {
    const facts = await routingFacts(this.db, row);
    const decision = route(facts, this.config.rules, this.config.default, this.config.vip);
    const now = this.clock.now().toISOString();
    const routed = await this.db
      .updateTable('conversations')
      .set({ team_id: decision.team, priority: decision.priority, queued_at: now, routing_rule: decision.rule, routing_reason: decision.reason })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.store.event(this.db, { conversation_id: row.id, kind: 'routed', agent_id: null, team_id: decision.team, actor_id: null, note: decision.reason, load_after: null });

    if (this.config.stickyReturning && facts.returning) {
      const last = await earlierConversations(this.db, row, facts.externalId ?? null)
        .where('assignee_id', 'is not', null)
        .select('assignee_id')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      const agentId = last?.assignee_id;
      if (agentId) {
        const agent = await this.db.selectFrom('agents').select(['email', 'capacity', 'name']).where('id', '=', agentId).executeTakeFirst();
        if (agent) {
          const teams = (await this.store.teamsByEmail([agent.email])).get(agent.email) ?? [];
          const assigned = await this.store.assign({
            conversationId: row.id,
            agentId,
            capacity: this.store.capacityOf(agent, teams),
            onlyUnassigned: true,
            kind: 'assigned',
            actorId: null,
            note: 'returning contact, back to their last agent',
            reason: `${decision.reason}; returning contact → back to ${agent.name}`,
          });
          if (assigned) {
            await this.afterCommit(
              'routing a returning contact',
              () => this.announce(assigned),
              () => this.agentsChanged([agentId]),
            );
            return;
          }
        }
      }
    }
    await this.afterCommit(
      'routing a new conversation',
      () => this.announce(routed),
      // those behind a higher-priority arrival move back a place
      () => this.queue.publishChanged([routed]),
      () => (decision.team ? this.drain(decision.team) : undefined),
    );
  }

  /**
   * Serves a team's queue: the head goes to the agent the team's mode picks,
   * until the queue is empty or nobody has room. Concurrent calls for one team
   * fold into one extra pass.
   */
  drain(teamId: string): Promise<void> {
    const running = this.draining.get(teamId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          await this.drainOnce(teamId);
        } while (state.again);
      } finally {
        this.draining.delete(teamId);
      }
    })();
    this.draining.set(teamId, state);
    return state.done;
  }

  private async drainOnce(teamId: string): Promise<void> {
    const team = this.config.teams[teamId];
    const touched = new Set<string>();
    for (let guard = 0; team && guard < 10_000; guard += 1) {
      const [head] = await this.queue.entries(teamId, 1);
      if (!head) break;
      const members = await this.store.members(teamId);
      const choice = chooseAgent(members, team.assignment);
      if (!choice) break;
      const member = members.find((m) => m.id === choice.agentId);
      const assigned = await this.store.assign({
        conversationId: head.id,
        agentId: choice.agentId,
        capacity: member?.capacity ?? 0,
        onlyUnassigned: true,
        kind: 'assigned',
        actorId: null,
        note: choice.why,
      });
      if (assigned) {
        touched.add(choice.agentId);
        await this.announce(assigned);
      }
    }
    // heads were taken: everyone still waiting moved up
    if (touched.size > 0) await this.queue.publish(teamId);
    await this.agentsChanged([...touched]);
  }

  /** Serves the queues of every team the agent belongs to (capacity freed, agent came online). */
  async drainForAgent(agentId: string): Promise<void> {
    const agent = await this.db.selectFrom('agents').select('email').where('id', '=', agentId).executeTakeFirst();
    if (!agent) return;
    const teams = (await this.store.teamsByEmail([agent.email])).get(agent.email) ?? [];
    // the team whose queue head comes first (priority, then arrival) is served first
    const heads = await Promise.all(teams.map(async (teamId) => ({ teamId, head: (await this.queue.entries(teamId, 1))[0] })));
    heads.sort((a, b) => (a.head && b.head ? compareQueue(a.head, b.head) : a.head ? -1 : b.head ? 1 : 0));
    for (const { teamId } of heads) await this.drain(teamId);
  }

  /** Serves every team's queue (start-up, the periodic sweep). */
  async drainAll(): Promise<void> {
    for (const teamId of Object.keys(this.config.teams)) await this.drain(teamId);
  }

  /** Announces a changed conversation to agents and its visitor, with the queue place. */
  async announce(row: ConversationRow): Promise<void> {
    await this.conversations.announce(row);
    const position = await this.queue.positionOf(row);
    this.notify.visitorConversationChanged({ id: row.id, siteId: row.site_id, status: row.status, lastSeq: Number(row.last_seq), queuePosition: position });
  }

  /** The agents' view of a conversation, for replies to whoever changed it. */
  async summary(row: ConversationRow): Promise<ConversationSummary> {
    const contact = await this.db
      .selectFrom('contacts')
      .select(['id', 'site_id', 'name', 'email', 'phone', 'language', 'created_at', 'updated_at'])
      .where('id', '=', row.contact_id)
      .executeTakeFirstOrThrow();
    return toSummary(row, contact);
  }

  /**
   * Runs the announcements and queue service that follow a committed change,
   * each on its own: a failure there is logged, never reported to whoever
   * made the change (it was made), and the next sweep serves the queues again.
   */
  async afterCommit(what: string, ...steps: (() => Promise<unknown> | undefined)[]): Promise<void> {
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        this.log?.error({ err: error }, `${what}: follow-up after commit failed`);
      }
    }
  }

  /** Re-announces agents whose load or presence changed. */
  async agentsChanged(agentIds: readonly string[]): Promise<void> {
    if (agentIds.length === 0 || !this.summarize) return;
    for (const agent of await this.summarize(agentIds)) this.notify.agentChanged(agent);
  }

  /** Set by the agent directory: builds agent summaries for announcements. */
  summarize: ((ids: readonly string[] | undefined) => Promise<AgentSummary[]>) | null = null;

  /** Commits a person's assignment and announces it; throws when the conversation moved on. */
  async assignManually(input: AssignInput, previousAssignee: string | null): Promise<ConversationSummary> {
    const row = await this.store.assign(input);
    if (!row) throw new AppError(ErrorCode.Conflict, 'the conversation was closed or taken meanwhile');
    await this.afterCommit(
      'assigning a conversation',
      () => this.announce(row),
      // taken from the queue: those behind it move up
      () => (previousAssignee === null ? this.queue.publishChanged([row]) : undefined),
      () => this.agentsChanged([input.agentId, ...(previousAssignee ? [previousAssignee] : [])]),
      () => (previousAssignee ? this.drainForAgent(previousAssignee) : undefined),
    );
    return this.summary(row);
  }

  /**
   * Moves an open conversation to another team (a keyword rule's `team`
   * action): it joins that team's queue, at its old arrival time when it was
   * waiting, else at the back of its priority; an assignee who is not in that
   * team lets it go, their freed slot serves their queues, and the new team's
   * queue is served. Returns the row as it is then; null when there is no such team or
   * nothing to move (closed, already there, or changed meanwhile).
   */
  async moveToTeam(conversationId: string, teamId: string, note = 'moved by a keyword rule'): Promise<ConversationRow | null> {
    const team = Object.hasOwn(this.config.teams, teamId) ? this.config.teams[teamId] : undefined;
    if (!team) return null;
    const before = await this.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    if (!before || before.status !== 'open' || before.team_id === teamId) return null;
    const previous = before.assignee_id;
    const keep = previous !== null && (await this.store.members(teamId)).some((m) => m.id === previous);
    const [moved] = await this.store.requeue(
      [conversationId],
      {
        teamId,
        unassign: !keep,
        ...(previous !== null && !keep ? { queuedAt: this.clock.now().toISOString() } : {}),
        kind: 'moved',
        actorId: null,
        note,
        reason: (r) => `${r.routing_reason ?? ''}; ${note} → team ${team.name}`.replace(/^; /, '').slice(-1000),
      },
      { assignee: previous, teamId: before.team_id },
    );
    if (!moved) return null;
    await this.afterCommit(
      'moving a conversation to a team',
      () => this.announce(moved),
      () => (previous === null && before.team_id ? this.queue.publishChanged([before], before.team_id) : undefined),
      () => (moved.assignee_id === null ? this.queue.publishChanged([moved]) : undefined),
      () => (previous !== null && !keep ? this.agentsChanged([previous]) : undefined),
      () => (previous !== null && !keep ? this.drainForAgent(previous) : undefined),
      () => this.drain(teamId),
    );
    // as it is now: serving the new team's queue may have given it to someone
    return (await this.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst()) ?? moved;
  }

  // online agents of a team, or of every agent when no team is known
  private async candidatesOf(teamId: string | null): Promise<Candidate[]> {
    if (teamId !== null && Object.hasOwn(this.config.teams, teamId)) return this.store.members(teamId);
    const agents = this.summarize ? await this.summarize(undefined) : [];
    return agents.map((a) => ({ id: a.id, online: a.presence === 'online', load: a.load, capacity: a.capacity, lastAssignedAt: null }));
  }

  /**
   * What the auto-replies ask: who is online, whether all are full, and a
   * conversation's place in its queue; and how a keyword rule moves a
   * conversation to a team.
   */
  probe(): AvailabilityProbe & Pick<RoutingService, 'moveToTeam'> {
    return {
      onlineAgents: async (_siteId, teamId) => (await this.candidatesOf(teamId)).filter((c) => c.online).length,
      allAtCapacity: async (_siteId, teamId) => allAtCapacity(await this.candidatesOf(teamId)),
      queuePosition: (conversationId) => this.queuePosition(conversationId),
      moveToTeam: (conversationId, teamId, note) => this.moveToTeam(conversationId, teamId, note),
    };
  }

  /** 1-based place of a conversation in its team's queue; null when it is not waiting. */
  queuePosition(conversationId: string): Promise<number | null> {
    return this.queue.position(conversationId);
  }
}
