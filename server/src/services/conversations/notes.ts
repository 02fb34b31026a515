import { randomUUID } from 'node:crypto';
import { AddNoteSchema, ErrorCode, type Note } from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import { type Db, isUniqueViolation } from '../../store/db';
import type { NotesTable } from '../../store/schema';
import type { Clock } from '../clock';
import type { Notifier } from '../notifier';

function toNote(row: NotesTable): Note {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    clientId: row.client_id,
    authorId: row.agent_id,
    authorName: row.author_name,
    text: row.text,
    createdAt: row.created_at,
  };
}

/** Most notes a conversation's detail carries (the latest ones). */
const NOTES_SHOWN = 500;

/**
 * Private notes: agents only. They live in their own table, apart from
 * messages, so no visitor query (join, sync, history) can ever reach one;
 * they are announced only to agents' sockets. Once per client id, like messages.
 */
export class NotesService {
  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  async add(agent: { id: string; name: string }, payload: unknown): Promise<Note> {
    const input = parseOrThrow(AddNoteSchema, payload);
    const existing = await this.byClientId(input.conversationId, input.clientId);
    if (existing) return existing;
    const conversation = await this.db.selectFrom('conversations').select('id').where('id', '=', input.conversationId).executeTakeFirst();
    if (!conversation) throw new AppError(ErrorCode.NotFound, 'conversation not found');
    const row: NotesTable = {
      id: randomUUID(),
      conversation_id: input.conversationId,
      client_id: input.clientId,
      agent_id: agent.id,
      author_name: agent.name,
      text: input.text,
      created_at: this.clock.now().toISOString(),
    };
    try {
      await this.db.insertInto('notes').values(row).execute();
    } catch (error) {
      // the same client id raced in from another tab: answer with the stored note
      const winner = isUniqueViolation(error) ? await this.byClientId(input.conversationId, input.clientId) : null;
      if (winner) return winner;
      throw error;
    }
    const note = toNote(row);
    this.notifier.noteCreated(note);
    return note;
  }

  /** The conversation's notes, oldest first (the latest {@link NOTES_SHOWN}). */
  async list(conversationId: string): Promise<Note[]> {
    const rows = await this.db.selectFrom('notes').selectAll().where('conversation_id', '=', conversationId).orderBy('created_at', 'desc').limit(NOTES_SHOWN).execute();
    return rows.reverse().map(toNote);
  }

  private async byClientId(conversationId: string, clientId: string): Promise<Note | null> {
    const row = await this.db.selectFrom('notes').selectAll().where('conversation_id', '=', conversationId).where('client_id', '=', clientId).executeTakeFirst();
    return row ? toNote(row) : null;
  }
}
