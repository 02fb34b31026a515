import type { ConversationsTable } from '../../store/schema';

/** A new open conversation's row: nothing said yet, nothing closed; the caller names who, about what, and how it began. */
export function newConversationRow(
  fields: Pick<ConversationsTable, 'id' | 'site_id' | 'contact_id' | 'inquiry_type'> & Partial<Pick<ConversationsTable, 'answers' | 'consent' | 'page_url' | 'assignee_id' | 'assigned_at' | 'routing_reason'>>,
  now: string,
): ConversationsTable {
  return {
    status: 'open',
    assignee_id: null,
    answers: '[]',
    consent: null,
    page_url: null,
    last_seq: 0,
    last_message_text: null,
    last_message_author: null,
    last_message_at: null,
    created_at: now,
    updated_at: now,
    closed_at: null,
    ...fields,
  };
}
