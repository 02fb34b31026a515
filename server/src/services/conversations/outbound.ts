import { createHash, randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { ClientIdSchema, type ConversationSummary, ErrorCode, IdSchema, type Message, MessageTextSchema } from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import { type Db, isUniqueViolation } from '../../store/db';
import type { AgentIdentity } from '../auth-service';
import type { Clock } from '../clock';
import type { SearchIndex } from '../search/search-index';
import { webhookConversation } from '../webhooks/payloads';
import { type WebhookRecorder, noWebhooks } from '../webhooks/webhook-service';
import type { ConversationService } from './conversation-service';
import { newConversationRow } from './new-conversation';

/** A conversation id made from who wrote and their client id (a UUID's shape, from SHA-256): the same request, the same id. */
function idFor(agentId: string, clientId: string): string {
  const h = createHash('sha256').update(`outbound:${agentId}:${clientId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

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
    // a retried request names the same conversation: its id comes from the writer and the client id, found by primary key
    const id = input.clientId ? idFor(agent.id, input.clientId) : randomUUID();
    const again = async () => {
      const message = await this.deps.conversations.sendAsAgent(agent.id, agent.name, { conversationId: id, clientId, text: input.text });
      return { conversation: await this.deps.summary(agent.id, id), message, created: false };
    };
    if (input.clientId && (await db.selectFrom('conversations').select('id').where('id', '=', id).executeTakeFirst())) return again();
    const contact = await db.selectFrom('contacts').select(['id', 'site_id']).where('id', '=', input.contactId).executeTakeFirst();
    if (!contact) throw new AppError(ErrorCode.NotFound, 'no such contact');
    if (await this.deps.optedOut(contact.id)) throw new AppError(ErrorCode.Conflict, 'the contact opted out of messages after their conversations');
    const now = clock.now().toISOString();
    try {
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
    } catch (error) {
      // the same request twice at once: the other one made it
      if (input.clientId && isUniqueViolation(error)) return again();
      throw error;
    }
    await this.deps.search.indexConversation(id);
    const message = await this.deps.conversations.sendAsAgent(agent.id, agent.name, { conversationId: id, clientId, text: input.text });
    return { conversation: await this.deps.summary(agent.id, id), message, created: true };
  }
}
