import { sql } from 'kysely';
import { ErrorCode } from '../../../../protocol/src';
import { AppError, parseOrThrow } from '../../errors';
import * as v from 'valibot';

/** The widget's "delete my data": it must say so explicitly. */
const VisitorEraseSchema = v.object({ confirm: v.literal(true, 'confirm the deletion with "confirm": true') });
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { contactChanged } from '../conversations/contact-cache';
import { isPostgres } from '../../store/dialect';
import type { AttachmentStorage } from '../attachments/attachment-storage';
import type { AgentIdentity } from '../auth-service';
import type { Clock } from '../clock';
import { type Scheduler, oneAtATime } from '../scheduler';
import type { SiteDirectory } from '../site-directory';
import type { AuditLog } from './audit-log';

const parse = (json: string | null | undefined): unknown => {
  if (!json) return null;
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
};

/** How often the retention job looks for closed conversations past their site's age. */
export const RETENTION_EVERY_MS = 60 * 60_000;
/** Conversations removed per retention run, so one run never holds the store for long. */
const RETENTION_BATCH = 200;

/**
 * A contact's personal data: everything the store holds about them as JSON (the right of
 * access), their erasure (the right to be forgotten: messages, notes, files, search entries and
 * the contact itself go; the token stops working; a proof naming no one is kept in the audit
 * log), and the retention job that deletes closed conversations older than a site's limit.
 */
export class PersonalData {
  private readonly retention = oneAtATime(
    () => this.retentionRun(),
    (err) => this.deps.log.error({ err }, 'retention run failed'),
  );

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: Logger;
      storage: AttachmentStorage;
      audit: AuditLog;
      sites: SiteDirectory;
      /** Tells the consoles which conversations are gone. */
      removed?(ids: string[]): void;
    },
  ) {}

  private requireAdmin(actor: AgentIdentity, what: string): void {
    if (actor.role !== 'admin') throw new AppError(ErrorCode.Forbidden, `only admins may ${what}`);
  }

  /** Everything about a contact, for an admin to hand over; the export itself is logged. */
  async export(actor: AgentIdentity, contactId: string): Promise<Record<string, unknown>> {
    this.requireAdmin(actor, "export a contact's data");
    const { db } = this.deps;
    const contact = await db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirst();
    if (!contact) throw new AppError(ErrorCode.NotFound, 'no such contact');
    const { token_hash: _secret, ...profile } = contact;
    const conversations = await db.selectFrom('conversations').selectAll().where('contact_id', '=', contactId).orderBy('created_at').execute();
    const ids = conversations.map((c) => c.id);
    const inThese = <T>(run: () => Promise<T[]>) => (ids.length ? run() : Promise.resolve([] as T[]));
    const messages = await inThese(() =>
      db.selectFrom('messages').select(['conversation_id', 'seq', 'author_type', 'author_name', 'text', 'attachment', 'created_at']).where('conversation_id', 'in', ids).orderBy('conversation_id').orderBy('seq').execute(),
    );
    const notes = await inThese(() => db.selectFrom('notes').select(['conversation_id', 'author_name', 'text', 'created_at']).where('conversation_id', 'in', ids).execute());
    const pages = await inThese(() => db.selectFrom('page_views').select(['conversation_id', 'url', 'title', 'seen_at']).where('conversation_id', 'in', ids).execute());
    const files = await inThese(() => db.selectFrom('attachments').select(['id', 'conversation_id', 'name', 'type', 'size', 'uploader_type', 'created_at']).where('conversation_id', 'in', ids).execute());
    const followUps = await db.selectFrom('follow_up_consents').select(['action', 'via', 'detail', 'created_at']).where('contact_id', '=', contactId).orderBy('created_at').execute();
    await this.deps.audit.record(actor, 'contact.export', contactId, { conversations: ids.length, messages: messages.length });
    return {
      exportedAt: this.deps.clock.now().toISOString(),
      contact: { ...profile, attributes: parse(profile.attributes), labels: parse(profile.labels) },
      followUpChoices: followUps,
      conversations: conversations.map((c) => ({
        id: c.id,
        siteId: c.site_id,
        status: c.status,
        createdAt: c.created_at,
        closedAt: c.closed_at,
        inquiryType: c.inquiry_type,
        surveyAnswers: parse(c.answers),
        consent: parse(c.consent),
        pageUrl: c.page_url,
        rating: c.rating_score ? { score: c.rating_score, comment: c.rating_comment, ratedAt: c.rated_at } : null,
        messages: messages
          .filter((m) => m.conversation_id === c.id)
          .map((m) => ({ seq: m.seq, authorType: m.author_type, authorName: m.author_name, text: m.text, attachment: parse(m.attachment), createdAt: m.created_at })),
        agentNotes: notes.filter((n) => n.conversation_id === c.id).map((n) => ({ authorName: n.author_name, text: n.text, createdAt: n.created_at })),
        pagesSeen: pages.filter((p) => p.conversation_id === c.id).map((p) => ({ url: p.url, title: p.title, seenAt: p.seen_at })),
        files: files.filter((f) => f.conversation_id === c.id).map(({ conversation_id: _c, ...f }) => f),
      })),
    };
  }

  /**
   * Erases a contact on request: their conversations with everything in them, their files, their
   * search entries and the contact (so their token stops working). The audit log keeps a proof
   * that names no one: who erased, when, and how much.
   */
  async erase(actor: AgentIdentity, contactId: string, reason: string | null): Promise<{ conversations: number; messages: number; files: number }> {
    this.requireAdmin(actor, 'erase a contact');
    return this.eraseContact(actor, contactId, reason);
  }

  /**
   * The visitor deletes their own data from the widget: the same erasure, which also withdraws
   * their consent; the audit log keeps that they asked, and when.
   */
  async eraseByVisitor(contactId: string, payload: unknown): Promise<{ erased: boolean }> {
    parseOrThrow(VisitorEraseSchema, payload);
    await this.eraseContact(null, contactId, 'the visitor deleted their data and withdrew their consent from the chat widget');
    return { erased: true };
  }

  private async eraseContact(actor: AgentIdentity | null, contactId: string, reason: string | null): Promise<{ conversations: number; messages: number; files: number }> {
    const contact = await this.deps.db.selectFrom('contacts').select(['id', 'site_id']).where('id', '=', contactId).executeTakeFirst();
    if (!contact) throw new AppError(ErrorCode.NotFound, 'no such contact');
    const ids = (await this.deps.db.selectFrom('conversations').select('id').where('contact_id', '=', contactId).execute()).map((c) => c.id);
    const { messages, keys } = await this.deps.db.transaction().execute(async (trx) => {
      const removed = await purge(trx, ids);
      await trx.deleteFrom('follow_up_consents').where('contact_id', '=', contactId).execute();
      await trx.deleteFrom('contact_tokens').where('contact_id', '=', contactId).execute();
      // webhook deliveries keep a copy of the contact (sent or still to send): it goes too
      await trx.deleteFrom('webhook_deliveries').where('ordering_key', '=', contactId).execute();
      await trx.deleteFrom('contacts').where('id', '=', contactId).execute();
      await this.deps.audit.record(
        actor,
        actor ? 'contact.erase' : 'contact.erase.visitor',
        null,
        { siteId: contact.site_id, conversations: ids.length, messages: removed.messages, files: removed.keys.length, reason: reason?.slice(0, 500) ?? null, ...(actor ? {} : { consentWithdrawn: true }) },
        trx,
      );
      return removed;
    });
    contactChanged(this.deps.db, contactId);
    this.deps.removed?.(ids);
    await this.deleteFiles(keys);
    return { conversations: ids.length, messages, files: keys.length };
  }

  private async deleteFiles(keys: string[]): Promise<void> {
    for (const key of keys) await this.deps.storage.delete(key).catch((err: unknown) => this.deps.log.warn({ err, key }, 'an erased file could not be removed'));
  }

  /** Runs the retention job every hour; returns the stop. */
  start(scheduler: Scheduler): () => void {
    return scheduler.every(RETENTION_EVERY_MS, () => void this.applyRetention());
  }

  /** Deletes closed conversations older than their site's `retention.closedConversationDays` (one run at a time). */
  applyRetention(): Promise<void> {
    return this.retention.run();
  }

  settled(): Promise<void> {
    return this.retention.settled();
  }

  private async retentionRun(): Promise<void> {
    const { db, sites, clock } = this.deps;
    for (const siteId of sites.ids()) {
      const days = sites.get(siteId)?.retention?.closedConversationDays;
      if (!days) continue;
      const cutoff = new Date(clock.now().getTime() - days * 86_400_000).toISOString();
      const old = await db
        .selectFrom('conversations')
        .select('id')
        .where('site_id', '=', siteId)
        .where('status', '=', 'closed')
        .where('closed_at', '<', cutoff)
        .limit(RETENTION_BATCH)
        .execute();
      if (old.length === 0) continue;
      const { messages, keys } = await db.transaction().execute(async (trx) => {
        const removed = await purge(trx, old.map((c) => c.id));
        await this.deps.audit.record(null, 'retention.purge', null, { siteId, days, conversations: old.length, messages: removed.messages, files: removed.keys.length }, trx);
        return removed;
      });
      this.deps.removed?.(old.map((c) => c.id));
      await this.deleteFiles(keys);
      this.deps.log.info({ siteId, conversations: old.length, messages }, 'retention removed closed conversations');
    }
  }
}

/** Removes conversations and everything that hangs off them, search entries included; returns what went and the files to delete. */
async function purge(trx: Db, ids: string[]): Promise<{ messages: number; keys: string[] }> {
  if (ids.length === 0) return { messages: 0, keys: [] };
  let messages = 0;
  const keys: string[] = [];
  for (const id of ids) {
    if (isPostgres(trx)) {
      // messages carry their own words (a generated column); the conversation's document goes with it below
      await sql`DELETE FROM conversation_search WHERE conversation_id = ${id}`.execute(trx);
    } else {
      // the message index keeps its own copy of the words: take them out first (FTS5 'delete' with the old text)
      await sql`INSERT INTO message_search(message_search, rowid, text) SELECT 'delete', rowid, text FROM messages WHERE conversation_id = ${id} AND author_type IN ('visitor', 'agent')`.execute(trx);
      await sql`DELETE FROM conversation_search WHERE rowid = (SELECT rowid FROM conversations WHERE id = ${id})`.execute(trx);
    }
    await trx.deleteFrom('webhook_deliveries').where('ordering_key', '=', id).execute();
    const files = await trx.selectFrom('attachments').select(['storage_key', 'thumbnail_key']).where('conversation_id', '=', id).execute();
    for (const f of files) keys.push(f.storage_key, ...(f.thumbnail_key ? [f.thumbnail_key] : []));
    const gone = await trx.deleteFrom('messages').where('conversation_id', '=', id).executeTakeFirst();
    messages += Number(gone.numDeletedRows);
    for (const table of ['notes', 'conversation_labels', 'conversation_reads', 'page_views', 'attachments', 'scheduled_messages', 'email_outbox', 'routing_events'] as const) {
      await trx.deleteFrom(table).where('conversation_id', '=', id).execute();
    }
    await trx.deleteFrom('conversations').where('id', '=', id).execute();
  }
  return { messages, keys };
}
