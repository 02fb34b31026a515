import { optOutOf } from '../follow-ups/opt-out';
import { randomUUID } from 'node:crypto';
import {
  type ContactProfile,
  EditAttributesSchema,
  ErrorCode,
  PageViewSchema,
} from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import { contactChanged } from './contact-cache';
import { webhookContact } from '../webhooks/payloads';
import { type WebhookRecorder, noWebhooks } from '../webhooks/webhook-service';
import type { Clock } from '../clock';
import { parseJsonList } from '../json-list';

/** Most pages kept per conversation, and shown. */
const PAGES_KEPT = 100;
/** Other conversations of the contact shown in the panel. */
const CONVERSATIONS_SHOWN = 20;

function parseAttributes(text: string | null | undefined): Record<string, string | number | boolean> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    const out: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(value)) if (['string', 'number', 'boolean'].includes(typeof v)) out[k] = v as string | number | boolean;
    return out;
  } catch {
    return {};
  }
}

/**
 * What the console's contact panel shows beyond the survey: labels, custom
 * attributes, time zone, browser, the pages seen during the conversation and
 * the contact's other conversations; and the visitor's page views.
 */
export class ContactProfiles {
  /** Where attribute changes are announced to webhooks (app.ts sets it). */
  webhooks: WebhookRecorder = noWebhooks;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The profile of a contact, with the pages seen in `conversationId`. */
  async profile(contactId: string, conversationId: string | null): Promise<ContactProfile> {
    const contact = await this.db.selectFrom('contacts').select(['labels', 'attributes', 'time_zone', 'user_agent', 'follow_ups_opted_out_at', 'follow_ups_opted_out_via', 'external_id']).where('id', '=', contactId).executeTakeFirst();
    if (!contact) throw new AppError(ErrorCode.NotFound, 'contact not found');
    const pages = conversationId
      ? await this.db.selectFrom('page_views').select(['url', 'title', 'seen_at']).where('conversation_id', '=', conversationId).orderBy('seen_at', 'desc').limit(PAGES_KEPT).execute()
      : [];
    const conversations = await this.db
      .selectFrom('conversations')
      .select(['id', 'status', 'inquiry_type', 'last_message_text', 'created_at', 'updated_at'])
      .where('contact_id', '=', contactId)
      .orderBy('updated_at', 'desc')
      .limit(CONVERSATIONS_SHOWN)
      .execute();
    return {
      labels: parseJsonList(contact.labels),
      attributes: parseAttributes(contact.attributes),
      timeZone: contact.time_zone ?? null,
      userAgent: contact.user_agent ?? null,
      pages: pages.reverse().map((p) => ({ url: p.url, title: p.title, seenAt: p.seen_at })),
      conversations: conversations.map((c) => ({
        id: c.id,
        status: c.status,
        inquiryType: c.inquiry_type,
        lastMessageText: c.last_message_text,
        createdAt: c.created_at,
        updatedAt: c.updated_at,
      })),
      verifiedUserId: contact.external_id ?? null,
      followUpsOptedOut: optOutOf(contact),
    };
  }

  /** Sets custom attributes (null removes one); returns the contact's id for announcing. */
  async setAttributes(payload: unknown): Promise<string> {
    const input = parseOrThrow(EditAttributesSchema, payload);
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('contacts').select('attributes').where('id', '=', input.contactId).executeTakeFirst();
      if (!row) throw new AppError(ErrorCode.NotFound, 'contact not found');
      const attributes = parseAttributes(row.attributes);
      for (const [key, value] of Object.entries(input.attributes)) {
        if (value === null) delete attributes[key];
        else attributes[key] = value;
      }
      if (Object.keys(attributes).length > 50) throw new AppError(ErrorCode.InvalidPayload, 'at most 50 attributes', [{ path: 'attributes', message: 'at most 50 attributes' }]);
      await trx.updateTable('contacts').set({ attributes: JSON.stringify(attributes), updated_at: this.clock.now().toISOString() }).where('id', '=', input.contactId).execute();
      await this.webhooks.record(trx, {
        type: 'contact.updated',
        orderingKey: input.contactId,
        data: async () => ({ contact: webhookContact(await trx.selectFrom('contacts').selectAll().where('id', '=', input.contactId).executeTakeFirstOrThrow()) }),
      });
    });
    contactChanged(this.db, input.contactId);
    return input.contactId;
  }

  /**
   * A page the visitor (owner of the open conversation) moved to. The same page twice in a row
   * counts once; at most {@link PAGES_KEPT} are kept. False when nothing was recorded.
   */
  async recordPageView(contactId: string, payload: unknown): Promise<boolean> {
    const input = parseOrThrow(PageViewSchema, payload);
    if (!/^https?:\/\//i.test(input.url)) throw new AppError(ErrorCode.InvalidPayload, 'expected a web address', [{ path: 'url', message: 'expected a web address' }]);
    const conversation = await this.db.selectFrom('conversations').select(['contact_id', 'status']).where('id', '=', input.conversationId).executeTakeFirst();
    if (!conversation || conversation.contact_id !== contactId) throw new AppError(ErrorCode.Forbidden, 'not your conversation');
    if (conversation.status !== 'open') return false;
    const recent = await this.db.selectFrom('page_views').select(['id', 'url']).where('conversation_id', '=', input.conversationId).orderBy('seen_at', 'desc').limit(PAGES_KEPT).execute();
    if (recent[0]?.url === input.url) return false;
    if (recent.length >= PAGES_KEPT) {
      const oldest = recent[recent.length - 1];
      if (oldest) await this.db.deleteFrom('page_views').where('id', '=', oldest.id).execute();
    }
    await this.db
      .insertInto('page_views')
      .values({ id: randomUUID(), conversation_id: input.conversationId, url: input.url, title: input.title || null, seen_at: this.clock.now().toISOString() })
      .execute();
    return true;
  }
}
