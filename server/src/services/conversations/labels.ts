import {
  EditLabelsSchema,
  ErrorCode,
  type Label,
  type LabelInput,
  LabelInputSchema,
  LabelNameSchema,
} from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import { contactChanged } from './contact-cache';
import type { LabelsTable } from '../../store/schema';
import type { Clock } from '../clock';
import { parseJsonList } from '../json-list';
import type { ConversationRow } from '../mappers';
import type { Timeline } from './timeline';

const toLabel = (row: LabelsTable): Label => ({ name: row.name, color: row.color, description: row.description });

/** What a label edit changed, for announcing after the commit. */
export interface LabelEdit {
  labels: string[];
  added: string[];
  removed: string[];
}

/**
 * The label catalogue (seeded from the config, edited by admins) and the
 * labels on conversations and contacts. A conversation's labels live in
 * `conversation_labels` (filtered by an index) and, for display, as JSON on
 * the conversation, written together; each change is a timeline event.
 */
export class LabelsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly timeline: Timeline,
  ) {}

  /** Writes the config's labels whose names the store does not have yet. */
  async seed(labels: readonly LabelInput[]): Promise<void> {
    const now = this.clock.now().toISOString();
    for (const l of labels) {
      await this.db
        .insertInto('labels')
        .values({ name: l.name, color: l.color, description: l.description ?? null, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    }
  }

  async list(): Promise<Label[]> {
    return (await this.db.selectFrom('labels').selectAll().orderBy('name').execute()).map(toLabel);
  }

  async create(payload: unknown): Promise<Label> {
    const input = parseOrThrow(LabelInputSchema, payload);
    const now = this.clock.now().toISOString();
    const taken = await this.db.selectFrom('labels').select('name').where('name', '=', input.name).executeTakeFirst();
    if (taken) throw new AppError(ErrorCode.Conflict, `a label named ${input.name} exists`);
    const row = { name: input.name, color: input.color, description: input.description ?? null, created_at: now, updated_at: now };
    await this.db.insertInto('labels').values(row).execute();
    return toLabel(row);
  }

  /** Changes a label's colour or description (renaming would orphan what carries it: create another instead). */
  async update(name: unknown, payload: unknown): Promise<Label> {
    const key = parseOrThrow(LabelNameSchema, name, 'name');
    const input = parseOrThrow(LabelInputSchema, { name: key, ...(payload as object) });
    const row = await this.db
      .updateTable('labels')
      .set({ color: input.color, description: input.description ?? null, updated_at: this.clock.now().toISOString() })
      .where('name', '=', key)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new AppError(ErrorCode.NotFound, 'no such label');
    return toLabel(row);
  }

  /** Removes a label from the catalogue; conversations and contacts keep what they carry. */
  async remove(name: unknown): Promise<void> {
    const key = parseOrThrow(LabelNameSchema, name, 'name');
    const result = await this.db.deleteFrom('labels').where('name', '=', key).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new AppError(ErrorCode.NotFound, 'no such label');
  }

  private async known(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const rows = await this.db.selectFrom('labels').select('name').where('name', 'in', [...names]).execute();
    const have = new Set(rows.map((r) => r.name));
    const missing = names.filter((n) => !have.has(n));
    if (missing.length > 0) {
      throw new AppError(ErrorCode.InvalidPayload, `no such label: ${missing.join(', ')}`, [{ path: 'add', message: `no such label: ${missing.join(', ')}` }]);
    }
  }

  /** Adds and removes labels on a conversation; `actor` null is a keyword rule. */
  async editConversation(actor: { id: string; name: string } | null, payload: unknown): Promise<LabelEdit & { row: ConversationRow }> {
    const input = parseOrThrow(EditLabelsSchema, payload);
    await this.known(input.add);
    const now = this.clock.now().toISOString();
    const events: Awaited<ReturnType<Timeline['record']>>[] = [];
    const result = await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('conversations').select(['labels']).where('id', '=', input.id).executeTakeFirst();
      if (!row) throw new AppError(ErrorCode.NotFound, 'conversation not found');
      const before = parseJsonList(row.labels);
      const added = [...new Set(input.add)].filter((l) => !before.includes(l));
      const removed = [...new Set(input.remove)].filter((l) => before.includes(l) && !input.add.includes(l));
      const labels = [...before.filter((l) => !removed.includes(l)), ...added];
      for (const label of added) {
        await trx.insertInto('conversation_labels').values({ conversation_id: input.id, label, created_at: now }).onConflict((oc) => oc.doNothing()).execute();
        events.push(await this.timeline.record(input.id, 'labelled', actor, label, trx));
      }
      for (const label of removed) {
        await trx.deleteFrom('conversation_labels').where('conversation_id', '=', input.id).where('label', '=', label).execute();
        events.push(await this.timeline.record(input.id, 'unlabelled', actor, label, trx));
      }
      const updated = await trx
        .updateTable('conversations')
        // an edit that changes nothing rewrites the same list: an empty SET is not SQL
        .set(added.length + removed.length > 0 ? { labels: JSON.stringify(labels), updated_at: now } : { labels: row.labels })
        .where('id', '=', input.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { labels, added, removed, row: updated };
    });
    for (const e of events) this.timeline.announce(e);
    return result;
  }

  /**
   * A keyword rule's label: added to the catalogue (grey) when an owner named it only in a rule,
   * so rules and agents share one list. Null when the conversation had it already.
   */
  async addByRule(conversationId: string, label: string): Promise<ConversationRow | null> {
    await this.seed([{ name: label, color: '#6b7280', description: 'added by a keyword rule' }]);
    const edit = await this.editConversation(null, { id: conversationId, add: [label] });
    return edit.added.length > 0 ? edit.row : null;
  }

  /** Adds and removes labels on a contact (its JSON list; routing reads VIP labels there). */
  async editContact(payload: unknown): Promise<string[]> {
    const input = parseOrThrow(EditLabelsSchema, payload);
    await this.known(input.add);
    const labels = await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('contacts').select('labels').where('id', '=', input.id).executeTakeFirst();
      if (!row) throw new AppError(ErrorCode.NotFound, 'contact not found');
      const before = parseJsonList(row.labels);
      const labels = [...new Set([...before.filter((l) => !input.remove.includes(l) || input.add.includes(l)), ...input.add])];
      await trx.updateTable('contacts').set({ labels: JSON.stringify(labels), updated_at: this.clock.now().toISOString() }).where('id', '=', input.id).execute();
      return labels;
    });
    contactChanged(this.db, input.id);
    return labels;
  }
}
