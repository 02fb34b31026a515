import { randomUUID } from 'node:crypto';
import type { FollowUpOptOut } from '../../../../protocol/src';
import type { Db } from '../../store/db';
import { contactChanged } from '../conversations/contact-cache';
import type { Clock } from '../clock';

export type OptOutVia = FollowUpOptOut['via'];

/** A contact row's opt-out of follow-ups, or null while they accept them. */
export function optOutOf(row: { follow_ups_opted_out_at?: string | null; follow_ups_opted_out_via?: string | null } | undefined): FollowUpOptOut | null {
  return row?.follow_ups_opted_out_at ? { at: row.follow_ups_opted_out_at, via: (row.follow_ups_opted_out_via ?? 'widget') as OptOutVia } : null;
}

/**
 * A contact's choice about follow-ups: the current state on the contact (read on every
 * follow-up and email) and every change in `follow_up_consents`, kept as proof like consent.
 */
export class FollowUpConsent {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The contact's opt-out, or null while they accept follow-ups (or the contact is unknown). */
  async optedOut(contactId: string): Promise<FollowUpOptOut | null> {
    const row = await this.db
      .selectFrom('contacts')
      .select(['follow_ups_opted_out_at', 'follow_ups_opted_out_via'])
      .where('id', '=', contactId)
      .executeTakeFirst();
    return optOutOf(row);
  }

  /**
   * Records a change (`allow: false` opts out). Opting out when already out keeps the first
   * time; each real change is logged with how it was made. Returns the state after it.
   */
  async set(contactId: string, allow: boolean, via: OptOutVia, detail: string | null = null): Promise<FollowUpOptOut | null> {
    const now = this.clock.now().toISOString();
    const state = await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('contacts').select(['follow_ups_opted_out_at', 'follow_ups_opted_out_via']).where('id', '=', contactId).executeTakeFirst();
      if (!row) return null;
      const out = row.follow_ups_opted_out_at ? { at: row.follow_ups_opted_out_at, via: (row.follow_ups_opted_out_via ?? via) as OptOutVia } : null;
      if (!allow === !!out) return out;
      await trx
        .updateTable('contacts')
        .set(allow ? { follow_ups_opted_out_at: null, follow_ups_opted_out_via: null } : { follow_ups_opted_out_at: now, follow_ups_opted_out_via: via })
        .where('id', '=', contactId)
        .execute();
      await trx
        .insertInto('follow_up_consents')
        .values({ id: randomUUID(), contact_id: contactId, action: allow ? 'opt_in' : 'opt_out', via, detail: detail?.slice(0, 500) ?? null, created_at: now })
        .execute();
      return allow ? null : { at: now, via };
    });
    contactChanged(this.db, contactId);
    return state;
  }
}
