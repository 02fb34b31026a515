import {
  type ConversationDetail,
  ErrorCode,
  HistoryQuerySchema,
  JoinConversationSchema,
  LatestQuerySchema,
  type Message,
  type SyncResult,
} from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import { toDetail } from '../mappers';
import { messagesAfter, messagesBefore } from './message-pages';
import type { ContactProfiles } from './contact-profile';
import type { NotesService } from './notes';
import type { Timeline } from './timeline';

const contactColumns = ['id', 'site_id', 'name', 'email', 'phone', 'language', 'created_at', 'updated_at'] as const;

/**
 * A conversation as an agent opens it: the detail (survey, consent, notes,
 * timeline, read marks, contact profile) with its messages, from a seq on
 * (resync), the latest page (a long conversation opens at its end) or a page
 * before a seq (scrolling back). Every page is read from the (conversation, seq) index.
 */
export class ConversationDetails {
  constructor(
    private readonly db: Db,
    private readonly notes: NotesService,
    private readonly timeline: Timeline,
    private readonly profiles: ContactProfiles,
    private readonly syncPage: number,
  ) {}

  /** The detail of one conversation. */
  async detail(conversationId: string): Promise<ConversationDetail> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    if (!row) throw new AppError(ErrorCode.NotFound, 'conversation not found');
    const contact = await this.db.selectFrom('contacts').select(contactColumns).where('id', '=', row.contact_id).executeTakeFirstOrThrow();
    const [notes, events, profile] = await Promise.all([this.notes.list(row.id), this.timeline.list(row.id), this.profiles.profile(row.contact_id, row.id)]);
    return toDetail(row, contact, { notes, events, profile });
  }

  /** `conversation:open`: the detail and the messages after `afterSeq`. */
  async sync(payload: unknown): Promise<SyncResult<ConversationDetail>> {
    const input = parseOrThrow(JoinConversationSchema, payload);
    const conversation = await this.detail(input.conversationId);
    return { conversation, ...(await messagesAfter(this.db, input.conversationId, input.afterSeq, this.syncPage)) };
  }

  /** `conversation:latest`: the detail and the last `limit` messages; `hasMore` when older ones exist. */
  async latest(payload: unknown): Promise<SyncResult<ConversationDetail>> {
    const input = parseOrThrow(LatestQuerySchema, payload);
    const conversation = await this.detail(input.conversationId);
    return { conversation, ...(await messagesBefore(this.db, input.conversationId, conversation.lastSeq + 1, input.limit)) };
  }

  /** `conversation:history`: up to `limit` messages before `beforeSeq`, in seq order. */
  async history(payload: unknown): Promise<{ messages: Message[]; hasMore: boolean }> {
    const input = parseOrThrow(HistoryQuerySchema, payload);
    const exists = await this.db.selectFrom('conversations').select('id').where('id', '=', input.conversationId).executeTakeFirst();
    if (!exists) throw new AppError(ErrorCode.NotFound, 'conversation not found');
    return messagesBefore(this.db, input.conversationId, input.beforeSeq, input.limit);
  }
}
