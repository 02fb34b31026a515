import type { Logger } from '../../../logger';
import type { Db } from '../../../store/db';
import type { EmailOutboxTable, MessagesTable } from '../../../store/schema';
import type { Clock } from '../../clock';
import type { SiteDirectory } from '../../site-directory';
import { defaultFollowUps } from '../follow-ups-config';
import { chatLink, unsubscribeUrl } from './links';
import type { MailTransport } from './mail-transport';
import { type EmailMessage, renderEmail } from './render';

/** Attempts before an email is given up ('failed'): with the backoff below, about a day of trying. */
export const MAX_ATTEMPTS = 12;
/** How long a claimed row is left alone; a node that dies mid-send leaves it to be retried after this. */
export const LEASE_MS = 5 * 60_000;
/** Rows claimed per run. */
const BATCH = 20;
/** Messages an email shows at most (the latest ones). */
const MAX_MESSAGES = 200;

/** Wait before attempt `attempts + 1`: 30 s, doubling, at most 6 hours. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

type OutboxRow = EmailOutboxTable;

export interface EmailOutboxDeps {
  db: Db;
  clock: Clock;
  sites: SiteDirectory;
  transport: MailTransport;
  log: Logger;
  /** The From header, `Name <address>`. */
  from: string;
  /** The server's address as visitors reach it, for unsubscribe links. */
  publicUrl: string;
  /** Signs unsubscribe links. */
  secret: string;
}

const messageText = (row: Pick<MessagesTable, 'text' | 'attachment'>): string => {
  if (row.text || !row.attachment) return row.text;
  try {
    return `📎 ${String((JSON.parse(row.attachment) as { name?: unknown }).name ?? '')}`.trim();
  } catch {
    return '📎';
  }
};

const toEmailMessage = (row: Pick<MessagesTable, 'author_type' | 'author_name' | 'text' | 'attachment'>): EmailMessage => ({
  authorType: row.author_type,
  authorName: row.author_name,
  text: messageText(row),
});

/**
 * Delivers the email outbox. A due row is claimed with a conditional update
 * (pending → sending, or a 'sending' row whose lease ran out), so two workers or
 * nodes never send one row twice; it is rendered from the store at send time,
 * after checking it is still wanted, and marked sent, or put back with a backoff.
 */
export class EmailOutbox {
  private readonly host: string;

  constructor(private readonly deps: EmailOutboxDeps) {
    this.host = new URL(deps.publicUrl).hostname || 'localhost';
  }

  /** Sends what is due; returns how many rows it handled. */
  async deliverDue(): Promise<number> {
    const now = this.deps.clock.now().toISOString();
    // one status at a time, so each read walks the (status, next_attempt_at) index in order
    const dueWith = (status: 'pending' | 'sending') =>
      this.deps.db.selectFrom('email_outbox').selectAll().where('status', '=', status).where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(BATCH).execute();
    // 'sending' rows past their lease: the node sending them died
    const due = [...(await dueWith('pending')), ...(await dueWith('sending'))];
    let handled = 0;
    for (const row of due) {
      if (!(await this.claim(row))) continue;
      handled += 1;
      await this.deliver({ ...row, attempts: row.attempts + 1 });
    }
    return handled;
  }

  // the row as read must still be the row in the store: another worker that claimed it changed it
  private async claim(row: OutboxRow): Promise<boolean> {
    const lease = new Date(this.deps.clock.now().getTime() + LEASE_MS).toISOString();
    const result = await this.deps.db
      .updateTable('email_outbox')
      .set({ status: 'sending', attempts: row.attempts + 1, next_attempt_at: lease })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .where('next_attempt_at', '=', row.next_attempt_at)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const { db, log } = this.deps;
    try {
      const mail = await this.render(row);
      if (!mail) {
        await this.finish(row, { status: 'cancelled' });
        return;
      }
      const sent = await this.deps.transport.send(mail);
      await this.finish(row, { status: 'sent', message_id: sent.messageId, sent_at: this.deps.clock.now().toISOString(), last_error: null });
      log.info({ outboxId: row.id, kind: row.kind, conversationId: row.conversation_id }, 'email sent');
    } catch (error) {
      const message = (error as Error)?.message?.slice(0, 500) ?? String(error);
      const giveUp = row.attempts >= MAX_ATTEMPTS;
      const next = new Date(this.deps.clock.now().getTime() + backoffMs(row.attempts)).toISOString();
      await db
        .updateTable('email_outbox')
        .set(giveUp ? { status: 'failed', last_error: message } : { status: 'pending', next_attempt_at: next, last_error: message })
        .where('id', '=', row.id)
        .where('status', '=', 'sending')
        .execute();
      log.warn({ outboxId: row.id, attempts: row.attempts, gaveUp: giveUp, err: message }, 'email not sent');
    }
  }

  private async finish(row: OutboxRow, set: Partial<Pick<OutboxRow, 'status' | 'message_id' | 'sent_at' | 'last_error'>>): Promise<void> {
    await this.deps.db.updateTable('email_outbox').set(set).where('id', '=', row.id).where('status', '=', 'sending').execute();
  }

  /** The email of a row as of now; null when it is no longer wanted (opted out, or the visitor has read them since). */
  private async render(row: OutboxRow) {
    const { db } = this.deps;
    const state = await db
      .selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .select(['conversations.page_url', 'conversations.visitor_read_seq', 'contacts.follow_ups_opted_out_at'])
      .where('conversations.id', '=', row.conversation_id)
      .executeTakeFirst();
    if (!state) return null;
    if (row.kind === 'unseen' && (state.follow_ups_opted_out_at || Number(state.visitor_read_seq ?? 0) >= row.to_seq)) return null;

    const site = this.deps.sites.get(row.site_id);
    const latest = await db
      .selectFrom('messages')
      .select(['seq', 'author_type', 'author_name', 'text', 'attachment'])
      .where('conversation_id', '=', row.conversation_id)
      .where('seq', '>', row.from_seq)
      .where('seq', '<=', row.to_seq)
      .orderBy('seq', 'desc')
      .limit(MAX_MESSAGES)
      .execute();
    const messages = latest.reverse().filter((m) => m.author_type !== 'system');
    if (messages.length === 0) return null;
    const contextCount = site?.followUps?.email?.contextMessages ?? defaultFollowUps.email.contextMessages;
    const context =
      row.kind === 'unseen' && contextCount > 0
        ? (
            await db
              .selectFrom('messages')
              .select(['author_type', 'author_name', 'text', 'attachment'])
              .where('conversation_id', '=', row.conversation_id)
              .where('seq', '<=', row.from_seq)
              .where('author_type', '!=', 'system')
              .orderBy('seq', 'desc')
              .limit(contextCount)
              .execute()
          ).reverse()
        : [];

    const rendered = renderEmail({
      kind: row.kind,
      language: row.language,
      siteName: site?.name ?? row.site_id,
      messages: messages.map(toEmailMessage),
      context: context.map(toEmailMessage),
      chatUrl: chatLink(state.page_url, row.conversation_id),
      unsubscribeUrl: row.kind === 'unseen' ? unsubscribeUrl(this.deps.publicUrl, this.deps.secret, row.contact_id) : null,
    });
    const headers: Record<string, string> = {};
    if (row.kind === 'unseen') {
      // RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the link
      headers['List-Unsubscribe'] = `<${unsubscribeUrl(this.deps.publicUrl, this.deps.secret, row.contact_id)}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    return {
      from: this.deps.from,
      to: row.to_address,
      ...rendered,
      headers,
      messageId: `<${row.id}@${this.host}>`,
    };
  }
}
