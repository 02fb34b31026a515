import { randomUUID } from 'node:crypto';
import type { Db } from '../../store/db';
import type { AuditEntry } from '../../../../protocol/src/console';
import type { Clock } from '../clock';

export type { AuditEntry };

/** What routes need of the audit log: to write down who changed what. */
export type AuditRecorder = Pick<AuditLog, 'record'>;

/** Admins' changes (settings, agents, labels, keys, webhooks) and every export and erasure of personal data, kept for admins. */
export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async record(actor: { id: string; name: string } | null, action: string, target: string | null, detail: Record<string, unknown> | null = null, db: Db = this.db): Promise<void> {
    await db
      .insertInto('audit_log')
      .values({
        id: randomUUID(),
        actor_id: actor?.id ?? null,
        actor_name: actor?.name ?? null,
        action,
        target,
        detail: detail ? JSON.stringify(detail) : null,
        created_at: this.clock.now().toISOString(),
      })
      .execute();
  }

  /** The latest entries, newest first. */
  async latest(limit = 200): Promise<AuditEntry[]> {
    // SQLite refuses a fractional LIMIT (`?limit=3.5`)
    const count = Number.isFinite(limit) ? Math.min(Math.max(Math.trunc(limit), 1), 1000) : 200;
    const rows = await this.db.selectFrom('audit_log').selectAll().orderBy('created_at', 'desc').limit(count).execute();
    return rows.map((r) => ({
      id: r.id,
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      target: r.target,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      createdAt: r.created_at,
    }));
  }
}
