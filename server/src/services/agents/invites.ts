import { randomUUID } from 'node:crypto';
import { type AgentInvite, type AgentProfile, AcceptInviteSchema, CreateInviteSchema, ErrorCode } from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import type { AgentInvitesTable } from '../../store/schema';
import type { AgentIdentity } from '../auth-service';
import type { Clock } from '../clock';
import { hashPassword, randomToken, sha256 } from '../crypto';

/** How long an invitation link works. */
export const INVITE_DAYS = 7;

const toInvite = (row: AgentInvitesTable): AgentInvite => ({ id: row.id, email: row.email, role: row.role, createdAt: row.created_at, expiresAt: row.expires_at });

/**
 * Invitations of new agents by a one-time link (valid 7 days): the admin names the email and the
 * role; the person opens the link, picks their name and password, and is signed in. A new invitation
 * for the same email replaces the earlier one; an email that already has an agent cannot be invited.
 */
export class AgentInvites {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  private requireAdmin(actor: AgentIdentity): void {
    if (actor.role !== 'admin') throw new AppError(ErrorCode.Forbidden, 'only admins may invite agents');
  }

  async create(actor: AgentIdentity, body: unknown): Promise<{ invite: AgentInvite; token: string }> {
    this.requireAdmin(actor);
    const input = parseOrThrow(CreateInviteSchema, body);
    const now = this.clock.now();
    const token = randomToken();
    const row: AgentInvitesTable = {
      id: randomUUID(),
      token_hash: sha256(token),
      email: input.email,
      role: input.role,
      created_by: actor.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + INVITE_DAYS * 86_400_000).toISOString(),
      used_at: null,
      revoked_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('agents').select('id').where('email', '=', input.email).executeTakeFirst();
      if (taken) throw new AppError(ErrorCode.Conflict, `an agent with ${input.email} exists`, [{ path: 'email', message: 'this email already has an agent' }]);
      await trx.updateTable('agent_invites').set({ revoked_at: row.created_at }).where('email', '=', input.email).where('used_at', 'is', null).where('revoked_at', 'is', null).execute();
      await trx.insertInto('agent_invites').values(row).execute();
    });
    return { invite: toInvite(row), token };
  }

  /** Invitations not used, revoked or expired, newest first. */
  async pending(actor: AgentIdentity): Promise<AgentInvite[]> {
    this.requireAdmin(actor);
    const rows = await this.db
      .selectFrom('agent_invites')
      .selectAll()
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', this.clock.now().toISOString())
      .orderBy('created_at', 'desc')
      .limit(200)
      .execute();
    return rows.map(toInvite);
  }

  async revoke(actor: AgentIdentity, id: string): Promise<void> {
    this.requireAdmin(actor);
    const result = await this.db.updateTable('agent_invites').set({ revoked_at: this.clock.now().toISOString() }).where('id', '=', id.slice(0, 64)).where('used_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new AppError(ErrorCode.NotFound, 'no such pending invitation');
  }

  /** The invited person's name and password: the agent exists from now on, and the link is spent. */
  async accept(body: unknown): Promise<AgentProfile> {
    const input = parseOrThrow(AcceptInviteSchema, body);
    const hash = await hashPassword(input.password);
    const now = this.clock.now().toISOString();
    return this.db.transaction().execute(async (trx) => {
      const invite = await trx.selectFrom('agent_invites').selectAll().where('token_hash', '=', sha256(input.token)).executeTakeFirst();
      if (!invite || invite.used_at || invite.revoked_at || invite.expires_at <= now) {
        throw new AppError(ErrorCode.Unauthorized, 'this invitation link is not valid (used, replaced, revoked or older than 7 days): ask your admin for a new one');
      }
      const spent = await trx.updateTable('agent_invites').set({ used_at: now }).where('id', '=', invite.id).where('used_at', 'is', null).executeTakeFirst();
      if (Number(spent.numUpdatedRows) === 0) throw new AppError(ErrorCode.Unauthorized, 'this invitation link was just used');
      const taken = await trx.selectFrom('agents').select('id').where('email', '=', invite.email).executeTakeFirst();
      if (taken) throw new AppError(ErrorCode.Conflict, `an agent with ${invite.email} exists: sign in instead`);
      const id = randomUUID();
      await trx
        .insertInto('agents')
        .values({ id, email: invite.email, name: input.name, role: invite.role, password_hash: hash, created_at: now, updated_at: now, presence: 'offline', presence_manual: 0 })
        .execute();
      return { id, email: invite.email, name: input.name, role: invite.role };
    });
  }
}
