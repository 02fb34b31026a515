import type { Db } from '../../store/db';
import { isPostgres } from '../../store/dialect';
import type { ContactRow } from '../mappers';

/** The contact columns a conversation summary shows. */
export const summaryContactColumns = ['id', 'site_id', 'name', 'email', 'phone', 'language', 'created_at', 'updated_at'] as const;
export type SummaryContact = Pick<ContactRow, (typeof summaryContactColumns)[number]>;

/** Contacts kept; the oldest is dropped beyond this. */
const MAX_CONTACTS = 10_000;
/** A change made outside this process (the CLI on the same file) shows after at most this long. */
const TTL_MS = 60_000;

const byDb = new WeakMap<Db, Set<ContactCache>>();

/**
 * Tells the contact caches of a store that a contact changed or went: call it after the
 * commit of every write to `contacts`, so the next summary reads it afresh.
 */
export function contactChanged(db: Db, contactId: string): void {
  for (const cache of byDb.get(db) ?? []) cache.forget(contactId);
}

/**
 * The contacts that conversation summaries show, read once and kept until the contact
 * changes (see {@link contactChanged}): every message announces a summary. On
 * PostgreSQL other nodes write too, so nothing is kept there.
 */
export class ContactCache {
  private readonly rows = new Map<string, { row: SummaryContact; at: number }>();
  private readonly enabled: boolean;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.enabled = !isPostgres(db);
    let caches = byDb.get(db);
    if (!caches) byDb.set(db, (caches = new Set()));
    caches.add(this);
  }

  /** The contact's summary columns; throws when there is no such contact. */
  async get(contactId: string): Promise<SummaryContact> {
    const hit = this.rows.get(contactId);
    if (hit && this.now() - hit.at < TTL_MS) return hit.row;
    const generation = this.generation;
    const row = await this.db.selectFrom('contacts').select(summaryContactColumns).where('id', '=', contactId).executeTakeFirstOrThrow();
    // a change committed while this read waited would be lost if the older row were kept
    if (this.enabled && generation === this.generation) {
      this.rows.set(contactId, { row, at: this.now() });
      if (this.rows.size > MAX_CONTACTS) this.rows.delete(this.rows.keys().next().value as string);
    }
    return row;
  }

  private generation = 0;

  /** Drops a contact: its next read goes to the store. */
  forget(contactId: string): void {
    this.generation += 1;
    this.rows.delete(contactId);
  }
}
