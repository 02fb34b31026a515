import { randomBytes, randomUUID } from 'node:crypto';
import { type ApiKey, type ApiKeyScope, CreateApiKeySchema } from '../../../../protocol/src/api-keys';
import { ErrorCode } from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import type { AgentIdentity } from '../auth-service';
import type { Clock } from '../clock';
import { sha256 } from '../crypto';
import type { AuditLog } from '../personal-data/audit-log';

/** Every key starts so: secret scanners and people can tell a Parley key at a glance. */
export const KEY_PREFIX = 'parley_';
/** "Last used" is written at most this often per key. */
const LAST_USED_EVERY_MS = 60_000;

/** The agent a request with an API key acts as, with the key it came with. */
export type KeyIdentity = AgentIdentity & { apiKey: { id: string; name: string; scopes: ApiKeyScope[] } };

/**
 * API keys for a shop's developers: created by admins, shown once, stored as SHA-256, with
 * scopes. A key acts as the admin who made it, never beyond that agent's role (a demoted or
 * deactivated agent's keys lose what the agent lost), with an agent's rights only unless it has the
 * admin scope, and is refused once revoked.
 */
export class ApiKeys {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async create(admin: AgentIdentity, payload: unknown): Promise<{ apiKey: ApiKey; key: string }> {
    const input = parseOrThrow(CreateApiKeySchema, payload);
    const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const row = {
      id: randomUUID(),
      name: input.name,
      prefix: key.slice(0, KEY_PREFIX.length + 6),
      key_hash: sha256(key),
      scopes: JSON.stringify(input.scopes),
      agent_id: admin.id,
      created_at: this.clock.now().toISOString(),
      last_used_at: null,
      revoked_at: null,
    };
    await this.db.insertInto('api_keys').values(row).execute();
    await this.audit.record(admin, 'api_key.created', row.id, { name: row.name, scopes: input.scopes });
    return { apiKey: (await this.list()).find((k) => k.id === row.id) as ApiKey, key };
  }

  async list(): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .innerJoin('agents', 'agents.id', 'api_keys.agent_id')
      .select(['api_keys.id', 'api_keys.name', 'api_keys.prefix', 'api_keys.scopes', 'api_keys.agent_id', 'agents.name as agent_name', 'api_keys.created_at', 'api_keys.last_used_at', 'api_keys.revoked_at'])
      .orderBy('api_keys.created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      scopes: JSON.parse(r.scopes) as ApiKeyScope[],
      agentId: r.agent_id,
      agentName: r.agent_name,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    }));
  }

  async revoke(admin: AgentIdentity, id: string): Promise<void> {
    const result = await this.db.updateTable('api_keys').set({ revoked_at: this.clock.now().toISOString() }).where('id', '=', String(id)).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const exists = await this.db.selectFrom('api_keys').select('id').where('id', '=', String(id)).executeTakeFirst();
      if (!exists) throw new AppError(ErrorCode.NotFound, 'no such API key');
      return; // revoked already
    }
    await this.audit.record(admin, 'api_key.revoked', String(id), null);
  }

  /** The agent behind `Authorization: Bearer parley_…`, or null for an unknown, revoked or orphaned key. */
  async authenticate(authorization: string | undefined): Promise<KeyIdentity | null> {
    const match = /^Bearer\s+(parley_[A-Za-z0-9_-]{20,64})\s*$/.exec(authorization ?? '');
    if (!match) return null;
    const hash = sha256(match[1] as string);
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('agents', 'agents.id', 'api_keys.agent_id')
      .select(['api_keys.id as key_id', 'api_keys.name as key_name', 'api_keys.scopes', 'api_keys.revoked_at', 'api_keys.last_used_at', 'agents.id', 'agents.email', 'agents.name', 'agents.role', 'agents.deactivated_at'])
      .where('api_keys.key_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.revoked_at || row.deactivated_at) return null;
    const now = this.clock.now();
    if (!row.last_used_at || Date.parse(row.last_used_at) < now.getTime() - LAST_USED_EVERY_MS) {
      await this.db.updateTable('api_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.key_id).execute();
    }
    const scopes = JSON.parse(row.scopes) as ApiKeyScope[];
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      // without the admin scope a key has an agent's rights, wherever the code asks for a role
      role: scopes.includes('admin') ? row.role : 'agent',
      sessionHash: `api-key:${row.key_id}`,
      apiKey: { id: row.key_id, name: row.key_name, scopes },
    };
  }
}
