import {
  ErrorCode,
  JoinConversationSchema,
  Limits,
  type Message,
  SendMessageSchema,
  type SyncResult,
  type VisitorConversation,
} from '../../../../protocol/src';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import type { Clock } from '../clock';
import { type ConversationRow, toSummary, toVisitorConversation } from '../mappers';
import { messagesAfter } from './message-pages';
import type { Logger } from '../../logger';
import { type Author, MessageWriter } from './message-writer';
import type { MessageOutbox } from './message-append';
import { ContactCache } from './contact-cache';
import type { Notifier } from '../notifier';

/**
 * What other services (auto-replies, routing) do once a conversation event is
 * committed. Listeners run after the ack, one after another; a failing one is
 * logged and never undoes or delays the message.
 */
export interface ConversationListener {
  conversationStarted?(conversation: ConversationRow): Promise<void>;
  messageStored?(message: Message, conversation: ConversationRow): Promise<void>;
}

/**
 * Conversations and their messages: storing each message once per client id,
 * numbering it, syncing what a client missed, and the agents' inbox.
 */
export class ConversationService {
  private readonly listeners: ConversationListener[] = [];
  private readonly writer: MessageWriter;
  private readonly contacts: ContactCache;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly log?: Logger,
    options: { groupCommit?: boolean } = {},
  ) {
    this.writer = new MessageWriter(db, clock, options.groupCommit === false ? 1 : undefined);
    this.contacts = new ContactCache(db);
  }

  /** Adds a listener for committed conversation events. */
  listen(listener: ConversationListener): void {
    this.listeners.push(listener);
  }

  /** What each new message writes beside itself in its transaction (the webhooks' `message.created`). */
  setMessageOutbox(outbox: MessageOutbox): void {
    this.writer.outbox = outbox;
  }

  /** Resolves once every listener run started so far has finished and every queued message is committed (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0 || this.writer.busy) await Promise.allSettled([...this.running, this.writer.idle()]);
  }

  /** Messages waiting for their commit and listener runs not finished, for a shutdown that ran out of time. */
  get pendingWork(): { appends: boolean; listeners: number } {
    return { appends: this.writer.busy, listeners: this.running.size };
  }

  private dispatch(run: (listener: ConversationListener) => Promise<void> | undefined): void {
    if (this.listeners.length === 0) return;
    const task = (async () => {
      for (const listener of this.listeners) {
        try {
          await run(listener);
        } catch (error) {
          this.log?.error({ err: error }, 'conversation listener failed');
        }
      }
    })();
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Announces a new conversation and runs the listeners for it. */
  async started(conversationId: string): Promise<void> {
    await this.announce(conversationId);
    const row = await this.conversation(conversationId);
    this.dispatch((l) => l.conversationStarted?.(row));
  }

  private async conversation(id: string): Promise<ConversationRow> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError(ErrorCode.NotFound, 'conversation not found');
    return row;
  }

  /** A visitor may touch only its own conversations. */
  private async visitorConversation(contactId: string, conversationId: string): Promise<ConversationRow> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    if (!row || row.contact_id !== contactId) throw new AppError(ErrorCode.Forbidden, 'not your conversation');
    return row;
  }

  /** The conversation and every message after `afterSeq`, for a visitor that owns it. */
  async syncForVisitor(contactId: string, payload: unknown): Promise<SyncResult<VisitorConversation>> {
    const input = parseOrThrow(JoinConversationSchema, payload);
    const row = await this.visitorConversation(contactId, input.conversationId);
    return { conversation: await this.visitorView(row), ...(await messagesAfter(this.db, row.id, input.afterSeq, Limits.syncPage)) };
  }

  /**
   * The visitor's view of a conversation, naming the person answering: the assignee, else the
   * agent who wrote last (from the row when the last message is theirs, else from that message).
   */
  async visitorView(row: ConversationRow): Promise<VisitorConversation> {
    let name: string | null = null;
    if (row.assignee_id) {
      name = (await this.db.selectFrom('agents').select('name').where('id', '=', row.assignee_id).executeTakeFirst())?.name ?? null;
    }
    if (!name && row.last_message_author === 'agent') name = row.last_message_author_name ?? null;
    else if (!name && Number(row.last_agent_seq ?? 0) > 0) {
      // one row by the (conversation_id, seq) unique index
      const last = await this.db
        .selectFrom('messages')
        .select('author_name')
        .where('conversation_id', '=', row.id)
        .where('seq', '=', Number(row.last_agent_seq))
        .executeTakeFirst();
      name = last?.author_name ?? null;
    }
    return toVisitorConversation(row, name);
  }

  /**
   * A visitor's message: checked, stored once per client id, then announced; `senderSocket`, when
   * given, is not sent it again (its ack carries it).
   */
  async sendAsVisitor(contactId: string, name: string | null, payload: unknown, senderSocket?: string): Promise<Message> {
    const input = parseOrThrow(SendMessageSchema, payload);
    return this.append(input.conversationId, input.clientId, input.text, { type: 'visitor', contactId, name }, null, senderSocket);
  }

  /**
   * An agent's reply: checked, stored once per client id, then announced. `beforeReply` runs
   * first on valid input (claiming an unassigned conversation) and may refuse it.
   */
  async sendAsAgent(agentId: string, name: string, payload: unknown, beforeReply?: (conversationId: string) => Promise<unknown>): Promise<Message> {
    const input = parseOrThrow(SendMessageSchema, payload);
    await beforeReply?.(input.conversationId);
    return this.append(input.conversationId, input.clientId, input.text, { type: 'agent', agentId, name });
  }

  /**
   * Stores a message with the next sequence number and returns it once
   * committed (group commit: see MessageWriter). The same client id returns
   * the first message and announces nothing.
   */
  async append(conversationId: string, clientId: string, text: string, author: Author, attachment: string | null = null, senderSocket?: string): Promise<Message> {
    const { message, conversation, created } = await this.writer.append({ conversationId, clientId, text, author, attachment });
    if (!created || !conversation) return message;
    this.notifier.messageCreated(message, senderSocket);
    await this.announce(conversation, false);
    this.dispatch((l) => l.messageStored?.(message, conversation));
    return message;
  }

  /** Tells agents and the visitor's tabs that a conversation changed. */
  async announce(conversation: string | ConversationRow, toVisitor = true): Promise<void> {
    const row = typeof conversation === 'string' ? await this.conversation(conversation) : conversation;
    const contact = await this.contacts.get(row.contact_id);
    this.notifier.conversationChanged(toSummary(row, contact), toVisitor ? await this.visitorView(row) : null);
  }
}
