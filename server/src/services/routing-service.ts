import {
  type AgentSummary,
  type ConversationSummary,
  ErrorCode,
  type SurveyAnswer,
  type VisitorConversation,
} from '../../../protocol/src/index';
import type { RoutingConfig } from '../config/routing';
import { type Candidate, allAtCapacity, chooseAgent, compareQueue } from '../domain/assignment';
import { type Answer, type RoutingFacts, route } from '../domain/routing';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { Db } from '../store/db';
import { type AssignInput, AssignmentStore, parseList } from './assignment-store';
import type { AvailabilityProbe } from './auto-reply-service';
import type { Clock } from './clock';
import type { ConversationListener, ConversationService } from './conversation-service';
import { type ConversationRow, toSummary } from './mappers';

/** What routing announces beyond the conversation upserts: queue positions and agents' changes. */
export interface RoutingNotifier {
  /** A visitor-side update carrying `queuePosition`. */
  visitorConversationChanged(view: VisitorConversation): void;
  agentChanged(agent: AgentSummary): void;
}

/** An online agent of a team. */
export interface AvailableAgent {
  id: string;
  name: string;
  load: number;
  capacity: number;
}

const record = (answers: SurveyAnswer[]): Record<string, Answer> => Object.fromEntries(answers.map((a) => [a.key, a.value]));

function parseObject(json: string | null | undefined): Record<string, Answer> {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Answer>) : {};
  } catch {
    return {};
  }
}

/**
 * Routing and assignment: decides each new conversation's team and priority,
 * serves each team's queue within agents' capacity, and announces queue places.
 * Every decision is committed by the AssignmentStore; the in-process coalescing
 * of drains only saves work, it is never what keeps things correct.
 */
export class RoutingService {
  readonly store: AssignmentStore;
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
  }

  /** The conversation listener that routes each new conversation once it is committed. */
  listener(): ConversationListener {
    return { conversationStarted: (row) => this.routeNew(row) };
  }

  /** Gathers what the rules look at: survey answers, contact, history. */
  async facts(row: ConversationRow): Promise<RoutingFacts> {
    const contact = await this.db
      .selectFrom('contacts')
      .select(['email', 'language', 'attributes', 'labels'])
      .where('id', '=', row.contact_id)
      .executeTakeFirstOrThrow();
    const answers = record(JSON.parse(row.answers) as SurveyAnswer[]);
    const attributes = parseObject(contact.attributes);
    const earlier = await this.earlierConversations(row, contact.email).select('conversations.id').limit(1).executeTakeFirst();
    const country = answers.country ?? attributes.country;
    const language = answers.language ?? contact.language;
    return {
      siteId: row.site_id,
      inquiryType: row.inquiry_type,
      language: language === undefined || language === null ? null : String(language),
      country: typeof country === 'string' && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
      email: contact.email,
      returning: earlier !== undefined,
      pageUrl: row.page_url,
      labels: [...parseList(contact.labels), ...parseList(row.labels)],
      attributes,
      answers,
    };
  }

  // the same contact, or the same email on the same site (visitors lose their token)
  private earlierConversations(row: ConversationRow, email: string | null) {
    return this.db
      .selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .where('conversations.id', '!=', row.id)
      .where('conversations.created_at', '<=', row.created_at)
      .where((eb) =>
        email
          ? eb.or([eb('conversations.contact_id', '=', row.contact_id), eb.and([eb('contacts.email', '=', email), eb('contacts.site_id', '=', row.site_id)])])
          : eb('conversations.contact_id', '=', row.contact_id),
      );
  }

  /** Routes a new conversation: records the decision, tries the returning contact's agent, then serves the team's queue. */
  async routeNew(row: ConversationRow): Promise<void> {
    const facts = await this.facts(row);
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
      const last = await this.earlierConversations(row, facts.email)
        .where('conversations.assignee_id', 'is not', null)
        .select('conversations.assignee_id')
        .orderBy('conversations.created_at', 'desc')
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
            await this.announce(assigned);
            await this.agentsChanged([agentId]);
            return;
          }
        }
      }
    }
    await this.announce(routed);
    if (decision.team) await this.drain(decision.team);
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
      const [head] = await this.store.queue(teamId, 1);
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
    await this.publishQueue(teamId);
    await this.agentsChanged([...touched]);
  }

  /** Serves the queues of every team the agent belongs to (capacity freed, agent came online). */
  async drainForAgent(agentId: string): Promise<void> {
    const agent = await this.db.selectFrom('agents').select('email').where('id', '=', agentId).executeTakeFirst();
    if (!agent) return;
    const teams = (await this.store.teamsByEmail([agent.email])).get(agent.email) ?? [];
    // the team whose queue head comes first (priority, then arrival) is served first
    const heads = await Promise.all(teams.map(async (teamId) => ({ teamId, head: (await this.store.queue(teamId, 1))[0] })));
    heads.sort((a, b) => (a.head && b.head ? compareQueue(a.head, b.head) : a.head ? -1 : b.head ? 1 : 0));
    for (const { teamId } of heads) await this.drain(teamId);
  }

  /** Serves every team's queue (start-up, the periodic sweep). */
  async drainAll(): Promise<void> {
    for (const teamId of Object.keys(this.config.teams)) await this.drain(teamId);
  }

  /** Tells each waiting visitor of a team their place. */
  async publishQueue(teamId: string): Promise<void> {
    const queue = await this.store.queue(teamId);
    queue.forEach((entry, i) =>
      this.notify.visitorConversationChanged({ id: entry.id, siteId: entry.siteId, status: 'open', lastSeq: entry.lastSeq, queuePosition: i + 1 }),
    );
  }

  /** Announces a changed conversation to agents and its visitor, with the queue place. */
  async announce(row: ConversationRow): Promise<ConversationSummary> {
    await this.conversations.announce(row);
    const position = row.status === 'open' && row.assignee_id === null && row.team_id ? await this.queuePosition(row.id) : null;
    this.notify.visitorConversationChanged({ id: row.id, siteId: row.site_id, status: row.status, lastSeq: Number(row.last_seq), queuePosition: position });
    const contact = await this.db
      .selectFrom('contacts')
      .select(['id', 'site_id', 'name', 'email', 'phone', 'language', 'created_at', 'updated_at'])
      .where('id', '=', row.contact_id)
      .executeTakeFirstOrThrow();
    return toSummary(row, contact);
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
    const summary = await this.announce(row);
    if (row.team_id) await this.publishQueue(row.team_id);
    await this.agentsChanged([input.agentId, ...(previousAssignee ? [previousAssignee] : [])]);
    if (previousAssignee) await this.drainForAgent(previousAssignee);
    return summary;
  }

  /** Online members of a team with their load and capacity. */
  async onlineMembers(teamId: string): Promise<AvailableAgent[]> {
    const members = await this.store.members(teamId);
    return members.filter((m) => m.online).map(({ id, name, load, capacity }) => ({ id, name, load, capacity }));
  }

  // online agents of a team, or of every agent when no team is known
  private async candidatesOf(teamId: string | null): Promise<Candidate[]> {
    if (teamId !== null && Object.hasOwn(this.config.teams, teamId)) return this.store.members(teamId);
    const agents = this.summarize ? await this.summarize(undefined) : [];
    return agents.map((a) => ({ id: a.id, online: a.presence === 'online', load: a.load, capacity: a.capacity, lastAssignedAt: null }));
  }

  /** What the auto-replies ask: who is online, whether all are full, and a conversation's place in its queue. */
  probe(): AvailabilityProbe {
    return {
      onlineAgents: async (_siteId, teamId) => (await this.candidatesOf(teamId)).filter((c) => c.online).length,
      allAtCapacity: async (_siteId, teamId) => allAtCapacity(await this.candidatesOf(teamId)),
      queuePosition: (conversationId) => this.queuePosition(conversationId),
    };
  }

  async queuePosition(conversationId: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('conversations')
      .select(['team_id', 'status', 'assignee_id'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (!row?.team_id || row.status !== 'open' || row.assignee_id !== null) return null;
    const index = (await this.store.queue(row.team_id)).findIndex((e) => e.id === conversationId);
    return index < 0 ? null : index + 1;
  }

  async teamOf(conversationId: string): Promise<string | null> {
    const row = await this.db.selectFrom('conversations').select('team_id').where('id', '=', conversationId).executeTakeFirst();
    return row?.team_id ?? null;
  }
}
