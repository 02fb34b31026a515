import { randomUUID } from 'node:crypto';
import {
  ConversationRefSchema,
  EditFollowUpSchema,
  ErrorCode,
  FOLLOW_UP_MAX_DAYS,
  FollowUpRefSchema,
  type FollowUpOptOut,
  type FollowUpTiming,
  ScheduleFollowUpSchema,
  type ScheduledMessage,
  SetFollowUpsSchema,
  type TimelineEvent,
  type UnreadSummary,
} from '../../../../protocol/src';
import { AppError, parseOrThrow } from '../../errors';
import type { Logger } from '../../logger';
import type { Schedule } from '../../domain/business-hours';
import type { Db } from '../../store/db';
import type { ScheduledMessagesTable } from '../../store/schema';
import type { AgentIdentity } from '../auth-service';
import type { Clock } from '../clock';
import type { ConversationService } from '../conversations/conversation-service';
import type { AssignmentService } from '../routing/assignment-service';
import { type Scheduler, oneAtATime } from '../scheduler';
import type { SiteDirectory } from '../site-directory';
import { defaultFollowUps } from './follow-ups-config';
import { FollowUpConsent, optOutOf } from './opt-out';
import { followUpTiming } from './timing';

/** What the follow-ups announce: a scheduled follow-up changed, a timeline line. */
export interface FollowUpNotifier {
  scheduledChanged(scheduled: ScheduledMessage): void;
  timelineEvent(event: TimelineEvent): void;
}

/** How often due follow-ups are looked for. */
export const SEND_EVERY_MS = 15_000;
/** Most follow-ups sent per run. */
const BATCH = 50;
/** Tries before a follow-up is marked failed. */
const MAX_ATTEMPTS = 5;
/** A follow-up left 'sending' this long (the node stopped) is tried again: its client id makes that safe. */
const STUCK_MS = 2 * 60_000;
/** The visitor's recent conversations the unread summary looks at. */
const UNREAD_CONVERSATIONS = 20;
/** A scheduled time a little in the past (a slow click) is still accepted, and sent at once. */
const SLACK_MS = 60_000;

type Row = ScheduledMessagesTable;

const toScheduled = (r: Row): ScheduledMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  agentId: r.agent_id,
  agentName: r.agent_name,
  text: r.text,
  sendAt: r.send_at,
  status: r.status,
  messageId: r.message_id,
  error: r.error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/** "4 Dec 2026" for sentences agents read. */
const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * Conversations that go on after they close. An agent's message to a closed conversation is a
 * follow-up: it reopens the conversation assigned to them (capacity never refuses it), unless the
 * contact opted out. A follow-up may also be scheduled for the contact's daytime: it is stored and
 * sent by a worker with the client id it was given, so a restart (or two nodes) sends it once.
 */
export class FollowUpService {
  readonly consent: FollowUpConsent;
  private readonly sender = oneAtATime(
    () => this.sendBatch(),
    (err) => this.deps.log.error({ err }, 'sending scheduled follow-ups failed'),
  );

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      log: Logger;
      sites: SiteDirectory;
      conversations: ConversationService;
      assignments: AssignmentService;
      /** The site's business hours, when it has them. */
      hoursOf(siteId: string): Schedule | null;
      notify: FollowUpNotifier;
    },
  ) {
    this.consent = new FollowUpConsent(deps.db, deps.clock);
  }

  private async conversation(id: string) {
    const row = await this.deps.db
      .selectFrom('conversations as c')
      .innerJoin('contacts as k', 'k.id', 'c.contact_id')
      .select(['c.id', 'c.site_id', 'c.status', 'c.contact_id', 'k.name', 'k.time_zone', 'k.follow_ups_opted_out_at', 'k.follow_ups_opted_out_via'])
      .where('c.id', '=', id)
      .executeTakeFirst();
    if (!row) throw new AppError(ErrorCode.NotFound, 'conversation not found');
    return row;
  }

  private refuseOptedOut(name: string | null, out: FollowUpOptOut): never {
    throw new AppError(
      ErrorCode.Forbidden,
      `${name || 'This contact'} opted out of follow-ups on ${day(out.at)}; you cannot write to them after the chat has closed.`,
    );
  }

  /** Whether now is a good time to write to the conversation's contact, and when the next one is. */
  async timing(payload: unknown): Promise<FollowUpTiming> {
    const { conversationId } = parseOrThrow(ConversationRefSchema, payload);
    const row = await this.conversation(conversationId);
    const site = this.deps.sites.get(row.site_id);
    return followUpTiming({
      now: this.deps.clock.now(),
      timeZone: row.time_zone,
      config: site?.followUps ?? defaultFollowUps,
      hours: this.deps.hoursOf(row.site_id),
      optedOut: optOutOf(row),
    });
  }

  /**
   * Runs before an agent's message is stored: a closed conversation is reopened for the writer
   * (refused when the contact opted out); an open one goes to `open` (claiming it, within capacity).
   */
  async beforeAgentWrite(agent: Pick<AgentIdentity, 'id' | 'name'>, conversationId: string, open: () => Promise<unknown>): Promise<void> {
    const row = await this.deps.db
      .selectFrom('conversations as c')
      .innerJoin('contacts as k', 'k.id', 'c.contact_id')
      .select(['c.status', 'k.name', 'k.follow_ups_opted_out_at', 'k.follow_ups_opted_out_via'])
      .where('c.id', '=', conversationId)
      .executeTakeFirst();
    if (!row || row.status !== 'closed') {
      await open();
      return;
    }
    const out = optOutOf(row);
    if (out) this.refuseOptedOut(row.name, out);
    // false: someone reopened it a moment ago, and the message joins it as it is
    await this.deps.assignments.reopenForFollowUp(agent, conversationId, (e) => this.deps.notify.timelineEvent(e));
  }

  /** Stores a follow-up for later; the same client id answers with the one stored before. */
  async schedule(agent: Pick<AgentIdentity, 'id' | 'name'>, payload: unknown): Promise<ScheduledMessage> {
    const input = parseOrThrow(ScheduleFollowUpSchema, payload);
    const row = await this.conversation(input.conversationId);
    const out = optOutOf(row);
    if (out) this.refuseOptedOut(row.name, out);
    const sendAt = this.checkTime(input.sendAt);
    const existing = await this.deps.db
      .selectFrom('scheduled_messages')
      .selectAll()
      .where('conversation_id', '=', input.conversationId)
      .where('client_id', '=', input.clientId)
      .executeTakeFirst();
    if (existing) return toScheduled(existing);
    const now = this.deps.clock.now().toISOString();
    const stored: Row = {
      id: randomUUID(),
      conversation_id: input.conversationId,
      agent_id: agent.id,
      agent_name: agent.name,
      client_id: input.clientId,
      text: input.text,
      send_at: sendAt,
      status: 'scheduled',
      message_id: null,
      error: null,
      attempts: 0,
      created_at: now,
      updated_at: now,
      sent_at: null,
    };
    await this.deps.db.insertInto('scheduled_messages').values(stored).execute();
    const scheduled = toScheduled(stored);
    this.deps.notify.scheduledChanged(scheduled);
    return scheduled;
  }

  private checkTime(iso: string): string {
    const at = new Date(iso).getTime();
    const now = this.deps.clock.now().getTime();
    if (!Number.isFinite(at)) throw new AppError(ErrorCode.InvalidPayload, 'expected a date and time');
    if (at < now - SLACK_MS) throw new AppError(ErrorCode.InvalidPayload, 'that time has passed: pick a later one, or send now');
    if (at > now + FOLLOW_UP_MAX_DAYS * 86_400_000) throw new AppError(ErrorCode.InvalidPayload, `a follow-up can be scheduled at most ${FOLLOW_UP_MAX_DAYS} days ahead`);
    return new Date(at).toISOString();
  }

  /** The conversation's follow-ups: waiting ones first, by time; then the latest others. */
  async list(payload: unknown): Promise<ScheduledMessage[]> {
    const { conversationId } = parseOrThrow(ConversationRefSchema, payload);
    const rows = await this.deps.db
      .selectFrom('scheduled_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('send_at', 'asc')
      .limit(200)
      .execute();
    const waiting = rows.filter((r) => r.status === 'scheduled' || r.status === 'sending');
    const rest = rows.filter((r) => !waiting.includes(r)).slice(-20);
    return [...waiting, ...rest].map(toScheduled);
  }

  /** Changes a waiting follow-up's text or time: its author or an admin, and only while it waits. */
  async edit(agent: AgentIdentity, payload: unknown): Promise<ScheduledMessage> {
    const input = parseOrThrow(EditFollowUpSchema, payload);
    const sendAt = input.sendAt === undefined ? undefined : this.checkTime(input.sendAt);
    return this.change(agent, input.id, {
      ...(input.text !== undefined ? { text: input.text } : {}),
      ...(sendAt !== undefined ? { send_at: sendAt } : {}),
    });
  }

  /** Cancels a waiting follow-up: its author or an admin. */
  async cancel(agent: AgentIdentity, payload: unknown): Promise<ScheduledMessage> {
    const { id } = parseOrThrow(FollowUpRefSchema, payload);
    return this.change(agent, id, { status: 'cancelled' });
  }

  private async change(agent: AgentIdentity, id: string, set: Partial<Row>): Promise<ScheduledMessage> {
    const before = await this.deps.db.selectFrom('scheduled_messages').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new AppError(ErrorCode.NotFound, 'no such scheduled follow-up');
    if (before.agent_id !== agent.id && agent.role !== 'admin') throw new AppError(ErrorCode.Forbidden, `only ${before.agent_name} or an admin can change this follow-up`);
    const row = await this.deps.db
      .updateTable('scheduled_messages')
      .set({ ...set, updated_at: this.deps.clock.now().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'scheduled')
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError(ErrorCode.Conflict, before.status === 'sent' ? 'this follow-up was already sent' : `this follow-up is ${before.status}`);
    const scheduled = toScheduled(row);
    this.deps.notify.scheduledChanged(scheduled);
    return scheduled;
  }

  /** Sends what is due every `SEND_EVERY_MS`; returns the stop. */
  start(scheduler: Scheduler): () => void {
    return scheduler.every(SEND_EVERY_MS, () => void this.sendDue());
  }

  /** Sends every follow-up that is due (one run at a time); resolves when done. */
  sendDue(): Promise<void> {
    return this.sender.run();
  }

  /** Resolves once the run in progress (if any) has finished. */
  settled(): Promise<void> {
    return this.sender.settled();
  }

  private async sendBatch(): Promise<void> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const due = await db
      .selectFrom('scheduled_messages')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'scheduled'), eb('send_at', '<=', now.toISOString())]),
          eb.and([eb('status', '=', 'sending'), eb('updated_at', '<=', new Date(now.getTime() - STUCK_MS).toISOString())]),
        ]),
      )
      .orderBy('send_at')
      .limit(BATCH)
      .execute();
    for (const row of due) {
      // claim it: only one worker (or node) sends it
      const claimed = await db
        .updateTable('scheduled_messages')
        .set({ status: 'sending', attempts: row.attempts + 1, updated_at: clock.now().toISOString() })
        .where('id', '=', row.id)
        .where('status', '=', row.status)
        .where('updated_at', '=', row.updated_at)
        .returningAll()
        .executeTakeFirst();
      if (claimed) await this.sendOne(claimed);
    }
  }

  private async sendOne(row: Row): Promise<void> {
    const { db, clock, conversations } = this.deps;
    const agent = { id: row.agent_id, name: row.agent_name };
    let set: Partial<Row>;
    try {
      await this.beforeAgentWrite(agent, row.conversation_id, async () => undefined);
      const message = await conversations.append(row.conversation_id, row.client_id, row.text, { type: 'agent', agentId: agent.id, name: agent.name });
      set = { status: 'sent', message_id: message.id, sent_at: clock.now().toISOString(), error: null };
    } catch (error) {
      const final = error instanceof AppError || row.attempts >= MAX_ATTEMPTS;
      this.deps.log.warn({ err: error, scheduled: row.id }, 'a scheduled follow-up was not sent');
      set = final
        ? { status: 'failed', error: error instanceof AppError ? error.message : 'could not be sent' }
        : { status: 'scheduled', error: 'not sent yet: will try again' };
    }
    const after = await db
      .updateTable('scheduled_messages')
      .set({ ...set, updated_at: clock.now().toISOString() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirst();
    if (after) this.deps.notify.scheduledChanged(toScheduled(after));
  }

  /** The visitor opts out of follow-ups (or accepts them again) from the widget. */
  async setByVisitor(contactId: string, payload: unknown, userAgent: string | null): Promise<FollowUpOptOut | null> {
    const { allow } = parseOrThrow(SetFollowUpsSchema, payload);
    return this.consent.set(contactId, allow, 'widget', userAgent);
  }

  /**
   * What the loader shows a returning visitor before the app loads: agent messages they have not
   * seen over their recent conversations, the latest of them, and which conversation to open.
   */
  async unread(contactId: string): Promise<UnreadSummary> {
    const { db } = this.deps;
    const recent = await db
      .selectFrom('conversations')
      .select(['id', 'status', 'visitor_read_seq', 'last_agent_seq'])
      .where('contact_id', '=', contactId)
      .orderBy('updated_at', 'desc')
      .limit(UNREAD_CONVERSATIONS)
      .execute();
    let unread = 0;
    let latest: UnreadSummary['latest'] = null;
    let focus = recent[0] ?? null;
    for (const c of recent) {
      const read = Number(c.visitor_read_seq ?? 0);
      if (Number(c.last_agent_seq ?? 0) <= read) continue;
      const rows = await db
        .selectFrom('messages')
        .select(['id', 'seq', 'author_name', 'text'])
        .where('conversation_id', '=', c.id)
        .where('seq', '>', read)
        .where('author_type', '=', 'agent')
        .orderBy('seq', 'desc')
        .limit(100)
        .execute();
      if (rows.length === 0) continue;
      unread += rows.length;
      if (!latest) {
        const top = rows[0]!;
        latest = { id: top.id, seq: Number(top.seq), authorName: top.author_name, text: top.text.slice(0, 140) };
        focus = c;
      }
    }
    return { unread, conversationId: focus?.id ?? null, open: focus?.status === 'open', latest };
  }
}
