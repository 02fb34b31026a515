import type {
  Attachment,
  ConsentRecord,
  Contact,
  ConversationDetail,
  ConversationRating,
  ConversationSummary,
  Message,
  SurveyAnswer,
  VisitorConversation,
} from '../../../protocol/src/index';
import { parseJsonList } from './json-list';
import type { ContactsTable, ConversationsTable, MessagesTable } from '../store/schema';

/** Row shapes as selected from the store. */
export type ContactRow = Omit<ContactsTable, 'token_hash'>;
export type ConversationRow = ConversationsTable;
export type MessageRow = MessagesTable;

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    clientId: row.client_id,
    authorType: row.author_type,
    authorName: row.author_name,
    text: row.text,
    createdAt: row.created_at,
    ...(row.attachment ? { attachment: JSON.parse(row.attachment) as Attachment } : {}),
  };
}

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    language: row.language,
    createdAt: row.created_at,
  };
}

export function toSummary(conversation: ConversationRow, contact: ContactRow): ConversationSummary {
  return {
    id: conversation.id,
    siteId: conversation.site_id,
    status: conversation.status,
    contact: toContact(contact),
    inquiryType: conversation.inquiry_type,
    assigneeId: conversation.assignee_id,
    lastSeq: Number(conversation.last_seq),
    lastMessage:
      conversation.last_message_at && conversation.last_message_text !== null
        ? {
            text: conversation.last_message_text,
            authorType: (conversation.last_message_author ?? 'visitor') as Message['authorType'],
            authorName: conversation.last_message_author_name ?? null,
            authorId: conversation.last_message_author_id ?? null,
            createdAt: conversation.last_message_at,
          }
        : null,
    lastVisitorSeq: Number(conversation.last_visitor_seq ?? 0),
    awaiting: conversation.status === 'open' ? (conversation.awaiting ?? null) : null,
    labels: parseJsonList(conversation.labels),
    createdAt: conversation.created_at,
    updatedAt: conversation.updated_at,
    rating: toRating(conversation),
    routing: {
      teamId: conversation.team_id ?? null,
      priority: Number(conversation.priority ?? 1),
      rule: conversation.routing_rule ?? null,
      reason: conversation.routing_reason ?? null,
      queuedAt: conversation.queued_at ?? null,
    },
  };
}

/** The visitor's rating, or null while the conversation has none. */
export function toRating(conversation: ConversationRow): ConversationRating | null {
  const score = conversation.rating_score;
  if (score === null || score === undefined || !conversation.rated_at) return null;
  return { score: Number(score), comment: conversation.rating_comment ?? null, ratedAt: conversation.rated_at };
}

/** The detail an agent opens: the summary, survey and consent, with the notes, timeline and profile read beside it. */
export function toDetail(conversation: ConversationRow, contact: ContactRow, extras: Pick<ConversationDetail, 'notes' | 'events' | 'profile'>): ConversationDetail {
  return {
    ...toSummary(conversation, contact),
    answers: JSON.parse(conversation.answers) as SurveyAnswer[],
    consent: conversation.consent ? (JSON.parse(conversation.consent) as ConsentRecord) : null,
    pageUrl: conversation.page_url,
    handoverAt: conversation.handover_at ?? null,
    visitorReadSeq: Number(conversation.visitor_read_seq ?? 0),
    agentReadSeq: Number(conversation.agent_read_seq ?? 0),
    ...extras,
  };
}

/**
 * The visitor's view of a conversation. `agentName` is the person answering (see
 * ConversationService.visitorView); a bot's words never count as a person's reply.
 */
export function toVisitorConversation(conversation: ConversationRow, agentName: string | null): VisitorConversation {
  return {
    id: conversation.id,
    siteId: conversation.site_id,
    status: conversation.status,
    lastSeq: Number(conversation.last_seq),
    rating: toRating(conversation),
    agentReadSeq: Number(conversation.agent_read_seq ?? 0),
    visitorReadSeq: Number(conversation.visitor_read_seq ?? 0),
    agent: agentName ? { name: agentName } : null,
    humanReplied: Number(conversation.last_agent_seq ?? 0) > 0,
  };
}
