import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { ClientIdSchema, type ConversationSummary, ErrorCode, IdSchema, type Message, MessageTextSchema } from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import type { AgentIdentity } from '../auth-service';
import type { Clock } from '../clock';
import type { SearchIndex } from '../search/search-index';
import { webhookConversation } from '../webhooks/payloads';
import { type WebhookRecorder, noWebhooks } from '../webhooks/webhook-service';
import type { ConversationService } from './conversation-service';
import { newConversationRow } from './new-conversation';

/** `POST /api/v1/conversations`: an agent (or a program with its key) writes first to a known contact. */
export const OutboundSchema = v.object({
  contactId: IdSchema,
  text: MessageTextSchema,
  /** The inquiry type the conversation is about (for reports and the inbox), if any. */
  inquiryType: v.optional(v.nullable(v.pipe(v.string('expected text'), v.trim(), v.regex(/^[\w-]{1,40}$/, 'expected an inquiry type key')))),
  /** Makes a retried request start one conversation (the `Idempotency-Key` header does the same). */
  clientId: v.optional(ClientIdSchema),
});

export interface OutboundDeps {
  db: Db;
  clock: Clock;
  conversations: ConversationService;
  search: SearchIndex;
  /** The contact's follow-up opt-out: nobody writes first to a contact who said no. */
  optedOut(contactId: string): Promise<unknown>;
  summary(agentId: string, conversationId: string): Promise<ConversationSummary>;
}

/**
 * Outbound conversations (an order confirmation, a shipping notice, an agent's "we found your
 * parcel"): a new open conversation with a contact, assigned to the writer, whose first message is
 * theirs. The visitor sees it as unread on their next page view (the launcher's badge) and, with
 * email configured, by email like any unseen follow-up.
 */
export class OutboundConversations {
  webhooks: WebhookRecorder = noWebhooks;

  constructor(private readonly deps: OutboundDeps) {}

  async start(agent: AgentIdentity, payload: unknown): Promise<{ conversation: ConversationSummary; message: Message; created: boolean }> {
    const input = parseOrThrow(OutboundSchema, payload);
    const { db, clock } = this.deps;
    const clientId = input.clientId ?? randomUUID();
    if (input.clientId) {
      // the same request again: the conversation it started
      const earlier = await db.selectFrom('messages').select('conversation_id').where('client_id', '=', clientId).where('author_id', '=', agent.id).where('seq', '=', 1).executeTakeFirst();
      if (earlier) {
        const message = await this.deps.conversations.sendAsAgent(agent.id, agent.name, { conversationId: earlier.conversation_id, clientId, text: input.text });
        return { conversation: await this.deps.summary(agent.id, earlier.conversation_id), message, created: false };
      }
    }
    const contact = await db.selectFrom('contacts').select(['id', 'site_id']).where('id', '=', input.contactId).executeTakeFirst();
    if (!contact) throw new AppError(ErrorCode.NotFound, 'no such contact');
    if (await this.deps.optedOut(contact.id)) throw new AppError(ErrorCode.Conflict, 'the contact opted out of messages after their conversations');
    const id = randomUUID();
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('conversations')
        .values(
          newConversationRow(
            { id, site_id: contact.site_id, contact_id: contact.id, inquiry_type: input.inquiryType ?? null, assignee_id: agent.id, assigned_at: now, routing_reason: 'outbound' },
            now,
          ),
        )
        .execute();
      await this.webhooks.record(trx, {
        type: 'conversation.created',
        orderingKey: id,
        data: async () => ({ conversation: webhookConversation(await trx.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow()), actorId: agent.id }),
      });
    });
    await this.deps.search.indexConversation(id);
    const message = await this.deps.conversations.sendAsAgent(agent.id, agent.name, { conversationId: id, clientId, text: input.text });
    return { conversation: await this.deps.summary(agent.id, id), message, created: true };
  }
}
