import type { WebhookContact, WebhookConversation, WebhookMessage } from '../../../../protocol/src/webhooks';
import type { ContactsTable, ConversationsTable, MessagesTable } from '../../store/schema';
import { toContact } from '../mappers';

/** Store rows as webhook receivers see them (camelCase, JSON fields parsed). */

export function webhookContact(row: ContactsTable): WebhookContact {
  let attributes: Record<string, unknown> = {};
  try {
    attributes = row.attributes ? (JSON.parse(row.attributes) as Record<string, unknown>) : {};
  } catch {
    // a row written before attributes were validated: none
  }
  return { ...toContact(row), attributes, updatedAt: row.updated_at };
}

export function webhookConversation(row: ConversationsTable): WebhookConversation {
  return {
    id: row.id,
    siteId: row.site_id,
    contactId: row.contact_id,
    status: row.status,
    inquiryType: row.inquiry_type,
    teamId: row.team_id ?? null,
    assigneeId: row.assignee_id,
    createdAt: row.created_at,
    closedAt: row.closed_at,
  };
}

export function webhookMessage(row: Pick<MessagesTable, 'id' | 'conversation_id' | 'seq' | 'author_type' | 'author_id' | 'author_name' | 'text' | 'created_at'>): WebhookMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    authorType: row.author_type,
    authorId: row.author_id,
    authorName: row.author_name,
    text: row.text,
    createdAt: row.created_at,
  };
}
