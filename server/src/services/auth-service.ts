import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { type AgentProfile, type AgentSession, ErrorCode, LoginSchema, PasswordSchema, SetupSchema } from '../../../protocol/src/index';
import { AppError, parseOrThrow } from '../errors';
import type { Db } from '../store/db';
import type { Clock } from './clock';
import { hashPassword, randomToken, sha256, verifyPassword } from './crypto';
import type { Notifier } from './notifier';

const SESSION_DAYS = 30;
const SETUP_KEY = 'setup_token_hash';
const SETUP_HOURS = 24;

/** An agent as a session cookie proves it. */
export interface AgentIdentity extends AgentProfile {
  sessionHash: string;
}

/** A session just opened: the cookie value is shown once and stored hashed. */
export interface NewSession {
  cookie: string;
  maxAgeSeconds: number;
  agent: AgentProfile;
}

/**
 * Agents: scrypt-hashed passwords, opaque session cookies kept as SHA-256 in
 * the store, the admin from the environment, and the one-time first-admin setup.
 */
/** How often a session's "last used" time is written. */
const LAST_USED_EVERY_MS = 5 * 60_000;

/** A session's public id: derived from the stored hash by hashing again, so it reveals neither. */
const publicSessionId = (idHash: string): string => sha256(`session:${idHash}`).slice(0, 16);

export class AuthService {
  private dummyHash: Promise<string> | null = null;
  /** API keys, the credential of programs (app.ts sets it): requireAgent asks it when there is no session. */
  apiKeys: { authenticate(authorization: string | undefined): Promise<(AgentIdentity & { apiKey?: unknown }) | null> } | null = null;
  /** Invitations of new agents (app.ts sets it): accepting one makes the agent. */
  invites: { accept(body: unknown): Promise<AgentProfile> } | null = null;

  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  /** A new session for an agent who proved who they are (a password, the setup link, an invitation). */
  async openSession(agent: AgentProfile, userAgent?: string | null): Promise<NewSession> {
    const cookie = randomToken();
    const now = this.clock.now();
    const expires = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
    await this.db
      .insertInto('agent_sessions')
      .values({
        id_hash: sha256(cookie),
        agent_id: agent.id,
        created_at: now.toISOString(),
        expires_at: expires.toISOString(),
        user_agent: userAgent?.slice(0, 300) ?? null,
        last_used_at: now.toISOString(),
      })
      .execute();
    return { cookie, maxAgeSeconds: SESSION_DAYS * 86_400, agent };
  }

  /** Signs in with email and password; the same error for a wrong email or password. */
  async login(body: unknown, userAgent?: string | null): Promise<NewSession> {
    const input = parseOrThrow(LoginSchema, body);
    const row = await this.db.selectFrom('agents').selectAll().where('email', '=', input.email).executeTakeFirst();
    // hash even for an unknown email, so timing does not tell which emails exist
    this.dummyHash ??= hashPassword(randomToken());
    const ok = await verifyPassword(input.password, row?.password_hash ?? (await this.dummyHash));
    if (!row || !ok) throw new AppError(ErrorCode.Unauthorized, 'wrong email or password');
    // only with the right password is an agent told they were deactivated
    if (row.deactivated_at) throw new AppError(ErrorCode.Forbidden, 'this account was deactivated: ask an admin');
    return this.openSession({ id: row.id, email: row.email, name: row.name, role: row.role }, userAgent);
  }

  /** The agent behind a session cookie value, or null when unknown or expired. */
  async authenticate(cookie: string | undefined): Promise<AgentIdentity | null> {
    if (!cookie || cookie.length > 200) return null;
    const hash = sha256(cookie);
    const row = await this.db
      .selectFrom('agent_sessions')
      .innerJoin('agents', 'agents.id', 'agent_sessions.agent_id')
      .select(['agents.id', 'agents.email', 'agents.name', 'agents.role', 'agents.deactivated_at', 'agent_sessions.expires_at', 'agent_sessions.last_used_at'])
      .where('agent_sessions.id_hash', '=', hash)
      .executeTakeFirst();
    const now = this.clock.now();
    if (!row || row.expires_at <= now.toISOString() || row.deactivated_at) return null;
    // "last used" for the agent's list of sessions, written at most every five minutes
    if (!row.last_used_at || Date.parse(row.last_used_at) < now.getTime() - LAST_USED_EVERY_MS) {
      await this.db.updateTable('agent_sessions').set({ last_used_at: now.toISOString() }).where('id_hash', '=', hash).execute();
    }
    return { id: row.id, email: row.email, name: row.name, role: row.role, sessionHash: hash };
  }

  /** The agent's sessions that have not expired, newest first; `current` marks the asking one. */
  async sessions(agent: AgentIdentity): Promise<AgentSession[]> {
    const rows = await this.db
      .selectFrom('agent_sessions')
      .select(['id_hash', 'created_at', 'expires_at', 'last_used_at', 'user_agent'])
      .where('agent_id', '=', agent.id)
      .where('expires_at', '>', this.clock.now().toISOString())
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
    return rows.map((r) => ({
      id: publicSessionId(r.id_hash),
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      lastUsedAt: r.last_used_at ?? null,
      userAgent: r.user_agent ?? null,
      current: r.id_hash === agent.sessionHash,
    }));
  }

  /** Ends one of the agent's own sessions (signing that browser out and closing its sockets). */
  async revoke(agent: AgentIdentity, sessionId: string): Promise<void> {
    const mine = await this.db.selectFrom('agent_sessions').select('id_hash').where('agent_id', '=', agent.id).execute();
    const hit = mine.find((r) => publicSessionId(r.id_hash) === sessionId);
    if (!hit) throw new AppError(ErrorCode.NotFound, 'no such session');
    await this.db.deleteFrom('agent_sessions').where('id_hash', '=', hit.id_hash).execute();
    this.notifier.agentSessionEnded(hit.id_hash);
  }

  /** Ends a session and disconnects its sockets. */
  async logout(cookie: string | undefined): Promise<void> {
    if (!cookie) return;
    const hash = sha256(cookie);
    await this.db.deleteFrom('agent_sessions').where('id_hash', '=', hash).execute();
    this.notifier.agentSessionEnded(hash);
  }

  /** Creates the admin named by the environment, or resets its password and role. */
  async ensureAdmin(email: string, password: string, name = 'Admin'): Promise<AgentProfile> {
    const input = parseOrThrow(v.object({ email: LoginSchema.entries.email, password: PasswordSchema }), { email, password });
    const hash = await hashPassword(input.password);
    const now = this.clock.now().toISOString();
    const existing = await this.db.selectFrom('agents').select(['id', 'name']).where('email', '=', input.email).executeTakeFirst();
    if (existing) {
      await this.db.updateTable('agents').set({ password_hash: hash, role: 'admin', updated_at: now }).where('id', '=', existing.id).execute();
      return { id: existing.id, email: input.email, name: existing.name, role: 'admin' };
    }
    const id = randomUUID();
    await this.db
      .insertInto('agents')
      .values({ id, email: input.email, name, role: 'admin', password_hash: hash, created_at: now, updated_at: now })
      .execute();
    return { id, email: input.email, name, role: 'admin' };
  }

  async agentCount(): Promise<number> {
    const row = await this.db.selectFrom('agents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Issues a fresh one-time setup token (valid 24 h) for the first admin; returns it once. */
  async issueSetupToken(): Promise<string> {
    const token = randomToken();
    const expires = new Date(this.clock.now().getTime() + SETUP_HOURS * 3_600_000).toISOString();
    const value = JSON.stringify({ hash: sha256(token), expires });
    await this.db
      .insertInto('settings')
      .values({ key: SETUP_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    return token;
  }

  /** Creates the first admin with a setup token; works once, and only while no agent exists. */
  async setup(body: unknown): Promise<NewSession> {
    const input = parseOrThrow(SetupSchema, body);
    const hash = await hashPassword(input.password);
    const now = this.clock.now().toISOString();
    const agent = await this.db.transaction().execute(async (trx) => {
      const stored = await trx.selectFrom('settings').select('value').where('key', '=', SETUP_KEY).executeTakeFirst();
      const parsed = stored ? (JSON.parse(stored.value) as { hash: string; expires: string }) : null;
      if (!parsed || parsed.hash !== sha256(input.token) || parsed.expires <= now) {
        throw new AppError(ErrorCode.Unauthorized, 'this setup link is not valid; restart the server for a new one');
      }
      const count = await trx.selectFrom('agents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      if (Number(count.n) > 0) throw new AppError(ErrorCode.Conflict, 'an admin already exists');
      const id = randomUUID();
      await trx
        .insertInto('agents')
        .values({ id, email: input.email, name: input.name, role: 'admin', password_hash: hash, created_at: now, updated_at: now })
        .execute();
      await trx.deleteFrom('settings').where('key', '=', SETUP_KEY).execute();
      return { id, email: input.email, name: input.name, role: 'admin' as const };
    });
    return this.openSession(agent);
  }
}
