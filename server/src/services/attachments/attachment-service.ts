import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { type Attachment, ClientIdSchema, ErrorCode, IdSchema, type Message } from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import type { Clock } from '../clock';
import type { ConversationService } from '../conversations/conversation-service';
import { messageByClientId } from '../conversations/message-pages';
import { type Author, writerOf } from '../conversations/message-writer';
import type { AttachmentsConfig } from './attachment-config';
import type { AttachmentStorage } from './attachment-storage';
import { isImageType, nameForType, sniffContentType, typeLabel } from './content-sniffer';
import { sanitizeFileName } from './file-name';

/** Who uploads: a visitor (proven by its token) or a signed-in agent. */
export type Uploader = Extract<Author, { type: 'visitor' } | { type: 'agent' }>;

/** Who asks for a file: any signed-in agent, or the visitor behind a token. */
export type Viewer = { type: 'agent' } | { type: 'visitor'; contactId: string };

/** One upload as the HTTP route received it. */
export interface UploadRequest {
  conversationId: unknown;
  clientId: unknown;
  /** The raw `X-File-Name` header (percent-encoded). */
  fileName: string | undefined;
  bytes: Uint8Array;
}

/** A stored file ready to send. */
export interface Download {
  name: string;
  type: string;
  size: number;
  bytes: Buffer;
}

const UploadTarget = v.object({ conversationId: IdSchema, clientId: ClientIdSchema });

/** The public URL of an attachment's bytes. */
export const attachmentUrl = (id: string): string => `/api/v1/attachments/${id}`;

/**
 * Files attached to messages: checks size and type by content, keeps the bytes
 * in attachment storage and a row in the store, and appends the message that
 * carries them through the conversation service (so it is announced like any
 * message). The same client id returns the first message and stores nothing again.
 */
export class AttachmentService {
  constructor(
    private readonly db: Db,
    private readonly storage: AttachmentStorage,
    private readonly conversations: ConversationService,
    private readonly clock: Clock,
    readonly config: AttachmentsConfig,
  ) {}

  /** The site a conversation belongs to (for CORS), or null when there is no such conversation. */
  async siteOfConversation(conversationId: string): Promise<string | null> {
    if (!v.is(IdSchema, conversationId)) return null;
    const row = await this.db.selectFrom('conversations').select('site_id').where('id', '=', conversationId).executeTakeFirst();
    return row?.site_id ?? null;
  }

  /** The site an attachment's conversation belongs to (for CORS), or null. */
  async siteOfAttachment(id: string): Promise<string | null> {
    if (!v.is(IdSchema, id)) return null;
    const row = await this.db
      .selectFrom('attachments')
      .innerJoin('conversations', 'conversations.id', 'attachments.conversation_id')
      .select('conversations.site_id')
      .where('attachments.id', '=', id)
      .executeTakeFirst();
    return row?.site_id ?? null;
  }

  /** Refuses an uploader who may not write to this conversation. */
  private async checkAccess(conversationId: string, uploader: Uploader): Promise<void> {
    const row = await this.db.selectFrom('conversations').select(['id', 'contact_id']).where('id', '=', conversationId).executeTakeFirst();
    if (uploader.type === 'visitor') {
      if (!row || row.contact_id !== uploader.contactId) throw new AppError(ErrorCode.Forbidden, 'not your conversation');
    } else if (!row) {
      throw new AppError(ErrorCode.NotFound, 'conversation not found');
    }
  }

  /**
   * Stores an uploaded file and the message that carries it; resolves with
   * that message once committed. Too large → payload_too_large; bytes of a
   * type not allowed → unsupported_media_type; nothing is stored then.
   */
  async upload(request: UploadRequest, uploader: Uploader): Promise<{ message: Message; created: boolean }> {
    const { conversationId, clientId } = parseOrThrow(UploadTarget, { conversationId: request.conversationId, clientId: request.clientId });
    await this.checkAccess(conversationId, uploader);
    const before = await messageByClientId(this.db, conversationId, clientId, writerOf(uploader));
    if (before) return { message: before, created: false };

    const { bytes } = request;
    if (bytes.length > this.config.maxBytes) throw this.tooLarge();
    if (bytes.length === 0) throw new AppError(ErrorCode.InvalidPayload, 'the file is empty');
    const type = sniffContentType(bytes);
    if (!type || !(this.config.types as readonly string[]).includes(type)) {
      throw new AppError(ErrorCode.UnsupportedMediaType, `this file is not an allowed type: send ${this.allowedNames()}`);
    }

    const given = sanitizeFileName(request.fileName);
    const name = nameForType(given, type);
    if (name === null) {
      throw new AppError(ErrorCode.UnsupportedMediaType, `this file is a ${typeLabel(type)}, but its name ${JSON.stringify(given)} says otherwise`);
    }
    const id = randomUUID();
    const url = attachmentUrl(id);
    const attachment: Attachment = { id, name, type, size: bytes.length, url, thumbnailUrl: isImageType(type) ? url : null };
    const uploaderId = uploader.type === 'visitor' ? uploader.contactId : uploader.agentId;

    await this.storage.put(id, bytes);
    try {
      await this.db
        .insertInto('attachments')
        .values({
          id,
          conversation_id: conversationId,
          name,
          type,
          size: bytes.length,
          storage_key: id,
          thumbnail_key: null,
          uploader_type: uploader.type,
          uploader_id: uploaderId,
          created_at: this.clock.now().toISOString(),
        })
        .execute();
      const message = await this.conversations.append(conversationId, clientId, name, uploader, JSON.stringify(attachment));
      // a concurrent upload with the same client id won: keep only its file
      if (message.attachment?.id !== id) await this.discard(id);
      return { message, created: message.attachment?.id === id };
    } catch (error) {
      await this.discard(id);
      throw error;
    }
  }

  private async discard(id: string): Promise<void> {
    await this.db.deleteFrom('attachments').where('id', '=', id).execute();
    await this.storage.delete(id);
  }

  /** The refusal of a file over the configured size. */
  tooLarge(): AppError {
    return new AppError(ErrorCode.PayloadTooLarge, `the file is larger than ${formatBytes(this.config.maxBytes)}`);
  }

  private allowedNames(): string {
    return this.config.types.map(typeLabel).join(', ');
  }

  /**
   * A file for a viewer: any agent, or the visitor whose conversation it is.
   * Everyone else gets not_found, so a file's existence is not revealed.
   */
  async download(id: unknown, viewer: Viewer): Promise<Download> {
    const missing = new AppError(ErrorCode.NotFound, 'no such attachment');
    if (!v.is(IdSchema, id)) throw missing;
    const row = await this.db
      .selectFrom('attachments')
      .innerJoin('conversations', 'conversations.id', 'attachments.conversation_id')
      .select(['attachments.name', 'attachments.type', 'attachments.size', 'attachments.storage_key', 'conversations.contact_id'])
      .where('attachments.id', '=', id)
      .executeTakeFirst();
    if (!row || (viewer.type === 'visitor' && row.contact_id !== viewer.contactId)) throw missing;
    const bytes = await this.storage.get(row.storage_key);
    if (!bytes) throw missing;
    return { name: row.name, type: row.type, size: row.size, bytes };
  }
}

/** 10485760 → "10 MB". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
