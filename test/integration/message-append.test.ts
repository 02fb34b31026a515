import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../server/src/errors';
import { type Db, openStore } from '../../server/src/store/db';
import { sqliteOf } from '../../server/src/store/sqlite-handle';
import { type AppendRequest, type AppendResult, KyselyMessageAppend, type MessageAppend } from '../../server/src/services/conversations/message-append';
import { SqliteMessageAppend } from '../../server/src/services/conversations/sqlite-message-append';

// one contract, run against every implementation of the message path's port
const implementations: [string, (db: Db) => MessageAppend][] = [
  ['prepared better-sqlite3 statements', (db) => new SqliteMessageAppend(db, sqliteOf(db) as NonNullable<ReturnType<typeof sqliteOf>>)],
  ['Kysely', (db) => new KyselyMessageAppend(db)],
];

const NOW = '2026-01-02T03:04:05.000Z';
let db: Db;

beforeEach(async () => {
  db = await openStore({ dataDir: ':memory:' });
  await db.insertInto('sites').values({ id: 'demo', name: 'Demo', created_at: NOW }).execute();
  for (const who of ['ana', 'bob']) {
    await db.insertInto('contacts').values({ id: who, site_id: 'demo', token_hash: `hash-${who}`, name: who, email: null, phone: null, language: null, created_at: NOW, updated_at: NOW }).execute();
    await db
      .insertInto('conversations')
      .values({
        id: `c-${who}`,
        site_id: 'demo',
        contact_id: who,
        status: 'open',
        inquiry_type: null,
        assignee_id: null,
        answers: '[]',
        consent: null,
        page_url: null,
        last_seq: 0,
        last_message_text: null,
        last_message_author: null,
        last_message_at: null,
        created_at: NOW,
        updated_at: NOW,
        closed_at: null,
      })
      .execute();
  }
  await db.insertInto('agents').values({ id: 'alex', email: 'alex@example.com', name: 'Alex', password_hash: 'x', role: 'admin', created_at: NOW, updated_at: NOW }).execute();
});
afterEach(async () => {
  await db.destroy();
});

const ana = { type: 'visitor' as const, contactId: 'ana', name: 'Ana' };
const bob = { type: 'visitor' as const, contactId: 'bob', name: 'Bob' };
const alex = { type: 'agent' as const, agentId: 'alex', name: 'Alex' };
const req = (clientId: string, author: AppendRequest['author'] = ana, conversationId = 'c-ana'): AppendRequest => ({ conversationId, clientId, text: `text of ${clientId}`, author });
const ok = (r: AppendResult | AppError | undefined): AppendResult => {
  if (!r || r instanceof AppError) throw new Error(`expected a result, got ${String(r)}`);
  return r;
};

describe.each(implementations)('the message path on %s', (_, make) => {
  it('numbers a batch without gaps and moves the conversation to the last message, waiting on an agent', async () => {
    const results = await make(db).write([req('m-1'), req('m-2'), req('m-3')], NOW);
    expect(results.map((r) => ok(r).message.seq)).toEqual([1, 2, 3]);
    expect(results.every((r) => ok(r).created)).toBe(true);
    const last = ok(results[2]).conversation;
    expect(last).toMatchObject({ id: 'c-ana', last_seq: 3, last_visitor_seq: 3, awaiting: 'agent', last_message_text: 'text of m-3', last_message_author: 'visitor', last_message_author_id: 'ana', updated_at: NOW });
    const rows = await db.selectFrom('messages').select(['client_id', 'seq', 'author_id']).orderBy('seq').execute();
    expect(rows).toEqual([
      { client_id: 'm-1', seq: 1, author_id: 'ana' },
      { client_id: 'm-2', seq: 2, author_id: 'ana' },
      { client_id: 'm-3', seq: 3, author_id: 'ana' },
    ]);
  });

  it('answers a resend of a client id, in the same batch or a later one, with the first message and stores it once', async () => {
    const port = make(db);
    const [first, twin] = await port.write([req('same'), req('same')], NOW);
    const [later] = await port.write([req('same')], NOW);
    expect(ok(twin).message).toEqual(ok(first).message);
    expect(ok(twin).created).toBe(false);
    expect(ok(later).message).toEqual(ok(first).message);
    expect(ok(later)).toMatchObject({ created: false, conversation: null });
    expect(await db.selectFrom('messages').select('id').execute()).toHaveLength(1);
  });

  it('refuses another visitor’s conversation, someone else’s client id and a missing conversation, and writes the rest', async () => {
    const port = make(db);
    await port.write([req('ana-1')], NOW);
    const results = await port.write([req('bob-in', bob, 'c-ana'), req('ana-1', bob, 'c-ana'), req('lost', alex, 'nowhere'), req('ana-2')], NOW);
    expect(results.slice(0, 3).map((r) => (r instanceof AppError ? r.code : 'written'))).toEqual(['forbidden', 'forbidden', 'not_found']);
    expect(ok(results[3]).message.seq).toBe(2);
  });

  it('makes an agent’s message wait on the visitor, unseen since it was written', async () => {
    const [reply] = await make(db).write([req('a-1', alex)], NOW);
    expect(ok(reply).conversation).toMatchObject({ last_seq: 1, last_agent_seq: 1, awaiting: 'visitor', unseen_since: NOW, last_message_author: 'agent', last_message_author_id: 'alex' });
    expect(ok(reply).message).toMatchObject({ authorType: 'agent', authorName: 'Alex', seq: 1 });
  });

  it('commits nothing of a batch that fails unexpectedly', async () => {
    const broken = { ...req('breaks'), text: null as unknown as string };
    await expect(make(db).write([req('before'), broken], NOW)).rejects.toThrow();
    expect(await db.selectFrom('messages').select('id').execute()).toHaveLength(0);
    expect(await db.selectFrom('conversations').select('last_seq').where('id', '=', 'c-ana').executeTakeFirst()).toEqual({ last_seq: 0 });
  });
});
