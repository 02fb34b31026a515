import { randomUUID } from 'node:crypto';
import {
  type AgentSummary,
  CreateAgentSchema,
  ErrorCode,
  type TeamSummary,
  UpdateAgentSchema,
} from '../../../../protocol/src';
import { logPresence } from './presence-log';
import type { RoutingConfig } from '../../config/routing';
import { AppError, parseOrThrow } from '../../errors';
import { type Db, isUniqueViolation } from '../../store/db';
import { openLoad, presenceOf } from './assignment-store';
import type { AgentIdentity } from '../auth-service';
import type { Clock } from '../clock';
import { hashPassword } from '../crypto';
import type { Notifier } from '../notifier';
import type { RoutingService } from './routing-service';

/**
 * Agents and teams as routing knows them: the config's teams copied to the
 * store at start-up, members by email, and the admin's screens to create
 * agents, set their password, languages, capacity and teams.
 */
export class AgentDirectory {
  constructor(
    private readonly db: Db,
    private readonly config: RoutingConfig,
    private readonly routing: RoutingService,
    private readonly clock: Clock,
    private readonly notifier: Pick<Notifier, 'agentSessionEnded'>,
  ) {
    routing.summarize = (ids) => this.list(ids);
  }

  /** Copies the config's teams and members into the store; console-made memberships stay. */
  async syncTeams(): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      for (const [id, team] of Object.entries(this.config.teams)) {
        await trx
          .insertInto('teams')
          .values({ id, name: team.name, nobody_online_since: null, updated_at: now })
          .onConflict((oc) => oc.column('id').doUpdateSet({ name: team.name, updated_at: now }))
          .execute();
      }
      await trx.deleteFrom('team_members').where('source', '=', 'config').execute();
      for (const [id, team] of Object.entries(this.config.teams)) {
        for (const email of new Set(team.members)) {
          await trx
            .insertInto('team_members')
            .values({ team_id: id, email, source: 'config' })
            .onConflict((oc) => oc.columns(['team_id', 'email']).doUpdateSet({ source: 'config' }))
            .execute();
        }
      }
    });
  }

  /** Agents with presence, load, capacity, languages and teams; all of them, or those ids. */
  async list(ids?: readonly string[]): Promise<AgentSummary[]> {
    if (ids && ids.length === 0) return [];
    let q = this.db
      .selectFrom('agents')
      .select(['id', 'email', 'name', 'role', 'presence', 'languages', 'capacity', 'deactivated_at'])
      .select((eb) => openLoad(eb))
      .orderBy('name', 'asc');
    if (ids) q = q.where('id', 'in', [...ids]);
    const rows = await q.execute();
    const teams = await this.routing.store.teamsByEmail(rows.map((r) => r.email));
    return rows.map((r) => {
      const teamIds = (teams.get(r.email) ?? []).filter((t) => Object.hasOwn(this.config.teams, t)).sort();
      return {
        id: r.id,
        email: r.email,
        name: r.name,
        role: r.role,
        presence: presenceOf(r.presence),
        languages: this.routing.store.languagesOf(r),
        capacity: this.routing.store.capacityOf(r, teamIds),
        ownCapacity: r.capacity ? Number(r.capacity) : null,
        load: Number(r.load ?? 0),
        teams: teamIds,
        active: !r.deactivated_at,
      };
    });
  }

  /** The configured teams with members, how many are online and how many wait. */
  async teams(): Promise<TeamSummary[]> {
    const members = await this.db.selectFrom('team_members').select(['team_id', 'email']).execute();
    const online = await this.db
      .selectFrom('team_members')
      .innerJoin('agents', 'agents.email', 'team_members.email')
      .select(['team_members.team_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('agents.presence', '=', 'online')
      .groupBy('team_members.team_id')
      .execute();
    const waiting = await this.db
      .selectFrom('conversations')
      .select(['team_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'open')
      .where('assignee_id', 'is', null)
      .where('team_id', 'is not', null)
      .groupBy('team_id')
      .execute();
    return Object.entries(this.config.teams).map(([id, team]) => ({
      id,
      name: team.name,
      members: members.filter((m) => m.team_id === id).map((m) => m.email).sort(),
      fallback: team.fallback ?? null,
      online: Number(online.find((o) => o.team_id === id)?.n ?? 0),
      waiting: Number(waiting.find((w) => w.team_id === id)?.n ?? 0),
    }));
  }

  private requireAdmin(actor: AgentIdentity): void {
    if (actor.role !== 'admin') throw new AppError(ErrorCode.Forbidden, 'only admins manage agents');
  }

  private checkTeams(teams: readonly string[] | undefined, path: string): void {
    const unknown = (teams ?? []).filter((t) => !Object.hasOwn(this.config.teams, t));
    if (unknown.length > 0) {
      throw new AppError(ErrorCode.InvalidPayload, `unknown team ${unknown.join(', ')}`, [{ path, message: `unknown team ${unknown.join(', ')}` }]);
    }
  }

  // console memberships are replaced; the config's stay as the config says
  private async setTeams(email: string, teams: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('team_members').where('email', '=', email).where('source', '=', 'console').execute();
      for (const team of new Set(teams)) {
        await trx
          .insertInto('team_members')
          .values({ team_id: team, email, source: 'console' })
          .onConflict((oc) => oc.columns(['team_id', 'email']).doNothing())
          .execute();
      }
    });
  }

  /** Admins create an agent with an initial password (at least 10 characters). */
  async create(actor: AgentIdentity, body: unknown): Promise<AgentSummary> {
    this.requireAdmin(actor);
    const input = parseOrThrow(CreateAgentSchema, body);
    this.checkTeams(input.teams, 'teams');
    const id = randomUUID();
    const now = this.clock.now().toISOString();
    try {
      await this.db
        .insertInto('agents')
        .values({
          id,
          email: input.email,
          name: input.name,
          role: input.role,
          password_hash: await hashPassword(input.password),
          created_at: now,
          updated_at: now,
          languages: input.languages ? JSON.stringify(input.languages) : null,
          capacity: input.capacity ?? null,
          presence: 'offline',
          presence_manual: 0,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorCode.Conflict, `an agent with ${input.email} exists`, [{ path: 'email', message: 'this email is taken' }]);
      throw error;
    }
    if (input.teams) await this.setTeams(input.email, input.teams);
    const [agent] = await this.list([id]);
    return agent as AgentSummary;
  }

  /** Admins change an agent's name, password, role, languages, capacity or teams. */
  async update(actor: AgentIdentity, id: string, body: unknown): Promise<AgentSummary> {
    this.requireAdmin(actor);
    const input = parseOrThrow(UpdateAgentSchema, body);
    this.checkTeams(input.teams, 'teams');
    const agent = await this.db.selectFrom('agents').select(['id', 'email']).where('id', '=', id).executeTakeFirst();
    if (!agent) throw new AppError(ErrorCode.NotFound, 'no such agent');
    if (input.role === 'agent' && id === actor.id) throw new AppError(ErrorCode.Forbidden, 'you cannot remove your own admin role');
    if (input.active === false && id === actor.id) throw new AppError(ErrorCode.Forbidden, 'you cannot deactivate yourself');
    await this.db
      .updateTable('agents')
      .set({
        updated_at: this.clock.now().toISOString(),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.languages !== undefined ? { languages: JSON.stringify(input.languages) } : {}),
        ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
        ...(input.password !== undefined ? { password_hash: await hashPassword(input.password) } : {}),
        // a deactivated agent goes offline at once: routing stops giving them conversations, and their
        // open ones go back to their queues after the usual offline grace
        ...(input.active === false ? { deactivated_at: this.clock.now().toISOString(), presence: 'offline', presence_manual: 0 } : {}),
        ...(input.active === true ? { deactivated_at: null } : {}),
      })
      .where('id', '=', id)
      .execute();
    if (input.active === false) await logPresence(this.db, id, 'offline', this.clock.now().toISOString());
    if ((input.password !== undefined && id !== actor.id) || input.active === false) {
      // a reset password or a deactivation ends the agent's sessions and disconnects their tabs
      const sessions = await this.db.deleteFrom('agent_sessions').where('agent_id', '=', id).returning('id_hash').execute();
      for (const s of sessions) this.notifier.agentSessionEnded(s.id_hash);
    }
    if (input.teams) await this.setTeams(agent.email, input.teams);
    await this.routing.agentsChanged([id]);
    // a raised limit or a new team may free a slot
    await this.routing.drainForAgent(id);
    const [summary] = await this.list([id]);
    return summary as AgentSummary;
  }
}
