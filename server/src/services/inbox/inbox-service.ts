import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import {
  type ConversationSummary,
  ErrorCode,
  type InboxCounts,
  type InboxQuery,
  InboxQuerySchema,
  type ViewCount,
} from '../../../../protocol/src/index';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import type { Database } from '../../store/schema';
import { type ContactRow, type ConversationRow, toSummary } from '../mappers';

/** One inbox page: the summaries and the cursor of the next page (null on the last). */
export interface InboxPage {
  conversations: ConversationSummary[];
  nextCursor: string | null;
}

type From = Database & { c: Database['conversations'] };

/** A keyset position: the last row's activity time and id. */
interface Cursor {
  at: string;
  id: string;
}

/** Cursors are opaque to clients: base64url of `<updated_at>|<id>`. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

/** Reads a cursor back; anything that is not one the server made is an invalid payload. */
export function decodeCursor(text: string): Cursor {
  const raw = Buffer.from(text, 'base64url').toString('utf8');
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([A-Za-z0-9_-]{1,64})$/.exec(raw);
  if (!match) throw new AppError(ErrorCode.InvalidPayload, 'invalid cursor', [{ path: 'cursor', message: 'invalid cursor' }]);
  return { at: match[1] as string, id: match[2] as string };
}

const contactColumns = [
  'contacts.name as c_name',
  'contacts.email as c_email',
  'contacts.phone as c_phone',
  'contacts.language as c_language',
  'contacts.created_at as c_created_at',
  'contacts.updated_at as c_updated_at',
] as const;

type JoinedRow = ConversationRow & {
  c_name: string | null;
  c_email: string | null;
  c_phone: string | null;
  c_language: string | null;
  c_created_at: string;
  c_updated_at: string;
  read_seq: number | null;
};

/** Turns a conversation joined with its contact and the agent's read mark into a summary. */
export function joinedToSummary(r: JoinedRow): ConversationSummary {
  const contact: ContactRow = {
    id: r.contact_id,
    site_id: r.site_id,
    name: r.c_name,
    email: r.c_email,
    phone: r.c_phone,
    language: r.c_language,
    created_at: r.c_created_at,
    updated_at: r.c_updated_at,
  };
  return { ...toSummary(r, contact), readSeq: r.read_seq === null ? -1 : Number(r.read_seq) };
}

/**
 * The agents' inbox: views (mine, unassigned, all, a team), status (open,
 * pending, closed, all) and labels, one keyset page at a time in last-activity
 * order, each served by an index of migration 0008 (no scan, no sort); and the
 * open and unread counts per view and team.
 */
export class InboxService {
  constructor(private readonly db: Db) {}

  /** Summaries joined with contacts and the asking agent's read marks; `ids` keeps their order. */
  async summaries(agentId: string, ids: readonly string[]): Promise<ConversationSummary[]> {
    if (ids.length === 0) return [];
    const rows = await this.joined(agentId).where('conversations.id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, joinedToSummary(r as JoinedRow)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  private joined(agentId: string) {
    return this.db
      .selectFrom('conversations')
      .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
      .leftJoin('conversation_reads as r', (join) => join.onRef('r.conversation_id', '=', 'conversations.id').on('r.agent_id', '=', agentId))
      .selectAll('conversations')
      .select(contactColumns)
      .select('r.seq as read_seq');
  }

  /**
   * The ids of one page of a view, as a query: served by the view's index in activity order, with
   * no sort. Public so that a test can read its plan.
   */
  pageQuery(query: InboxQuery, agentId: string) {
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    let q = this.db.selectFrom('conversations').select(['id', 'updated_at']) as unknown as SelectQueryBuilder<Database, 'conversations', { id: string; updated_at: string }>;
    if (query.label) {
      const label = query.label;
      // walk the view's index in activity order and probe each row's label by primary key: no sort
      q = q.where((eb) =>
        eb.exists(eb.selectFrom('conversation_labels as l').select('l.label').whereRef('l.conversation_id', '=', 'conversations.id').where('l.label', '=', label)),
      );
    }
    if (query.teamId) q = q.where('team_id', '=', query.teamId);
    if (query.view === 'mine') q = q.where('assignee_id', '=', agentId);
    if (query.view === 'unassigned') q = q.where('assignee_id', 'is', null);
    if (query.status === 'pending') q = q.where('status', '=', 'open').where('awaiting', '=', 'visitor');
    else if (query.status !== 'all') q = q.where('status', '=', query.status);
    if (cursor) {
      q = q.where((eb) => eb.or([eb('updated_at', '<', cursor.at), eb.and([eb('updated_at', '=', cursor.at), eb('id', '<', cursor.id)])]));
    }
    return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(query.limit + 1);
  }

  /** One page of a view for `agentId`; contacts and read marks join only on the page's rows. */
  async list(payload: unknown, agentId: string): Promise<InboxPage> {
    const query = parseOrThrow(InboxQuerySchema, payload ?? {});
    const page = await this.pageQuery(query, agentId).execute();
    const more = page.length > query.limit;
    const rows = page.slice(0, query.limit);
    const last = rows[rows.length - 1];
    return {
      conversations: await this.summaries(agentId, rows.map((r) => r.id)),
      nextCursor: more && last ? encodeCursor({ at: last.updated_at, id: last.id }) : null,
    };
  }

  /** Open and unread conversations per view and per team, for `agentId`. */
  async counts(agentId: string): Promise<InboxCounts> {
    const unread = (eb: ExpressionBuilder<From, 'c'>) =>
      eb(
        'c.last_visitor_seq',
        '>',
        eb.fn.coalesce(
          eb.selectFrom('conversation_reads as r').select('r.seq').whereRef('r.conversation_id', '=', 'c.id').where('r.agent_id', '=', agentId),
          sql.lit(-1),
        ),
      );
    const rows = await this.db
      .selectFrom('conversations as c')
      .where('c.status', '=', 'open')
      .select((eb) => [
        'c.team_id',
        eb.fn.countAll<number>().as('open'),
        eb.fn.sum<number>(eb.case().when(unread(eb as never)).then(1).else(0).end()).as('unread'),
        eb.fn.sum<number>(eb.case().when('c.assignee_id', '=', agentId).then(1).else(0).end()).as('mine_open'),
        eb.fn.sum<number>(eb.case().when(eb.and([eb('c.assignee_id', '=', agentId), unread(eb as never)])).then(1).else(0).end()).as('mine_unread'),
        eb.fn.sum<number>(eb.case().when('c.assignee_id', 'is', null).then(1).else(0).end()).as('un_open'),
        eb.fn.sum<number>(eb.case().when(eb.and([eb('c.assignee_id', 'is', null), unread(eb as never)])).then(1).else(0).end()).as('un_unread'),
      ])
      .groupBy('c.team_id')
      .execute();
    const zero = (): ViewCount => ({ open: 0, unread: 0 });
    const counts: InboxCounts = { mine: zero(), unassigned: zero(), all: zero(), teams: {} };
    for (const r of rows) {
      const add = (into: ViewCount, open: unknown, un: unknown) => {
        into.open += Number(open ?? 0);
        into.unread += Number(un ?? 0);
      };
      add(counts.all, r.open, r.unread);
      add(counts.mine, r.mine_open, r.mine_unread);
      add(counts.unassigned, r.un_open, r.un_unread);
      if (r.team_id) add((counts.teams[r.team_id] = zero()), r.open, r.unread);
    }
    return counts;
  }
}
