import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { isPostgres } from '../../server/src/store/dialect';
import { manualScheduler } from '../../server/src/services/scheduler';
import { pngBytes } from '../fixtures/attachment-files';
import { type TestServer, chatOnlyConfig, clientId, connected, startServer } from '../helpers/server';

const PASSWORD = 'a long enough password';
let server: TestServer | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** A contact with a conversation holding messages both ways, a note, a page seen and a file. */
async function richContact(t: TestServer, name = 'Ana García', email = 'ana@example.com') {
  const started = await t.startConversation({ name, email, inquiryType: 'billing' });
  const visitor = t.visitorSocket(started.token!);
  await connected(visitor);
  await visitor.emitWithAck('conversation:join', { conversationId: started.conversationId, afterSeq: 0 });
  await visitor.emitWithAck('message:send', { conversationId: started.conversationId, clientId: clientId(), text: `my order NW-12345 never came, ${name.split(' ')[0]}` });
  await visitor.emitWithAck('page:view', { conversationId: started.conversationId, url: 'https://shop.test/orders/12345', title: 'Order 12345' });
  const cookie = await t.login();
  const agent = t.agentSocket(cookie);
  await connected(agent);
  await agent.emitWithAck('message:send', { conversationId: started.conversationId, clientId: clientId(), text: `Sorry ${name.split(' ')[0]}, sending a new one` });
  await agent.emitWithAck('note:add', { conversationId: started.conversationId, clientId: clientId(), text: 'customer is upset, refund shipping' });
  const upload = await fetch(`${t.url}/api/v1/visitor/conversations/${started.conversationId}/attachments?clientId=${clientId()}`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', 'x-file-name': 'receipt.png', authorization: `Bearer ${started.token}` },
    body: pngBytes() as Uint8Array<ArrayBuffer>,
  });
  expect(upload.status).toBe(201);
  visitor.disconnect();
  return { ...started, cookie, agent };
}

describe("a contact's personal data", () => {
  it('is exported whole as a JSON file for an admin, and the export is in the audit log', async () => {
    server = await startServer();
    const ana = await richContact(server);
    const res = await fetch(`${server.url}/api/v1/contacts/${ana.contactId}/export`, { headers: { cookie: ana.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="contact-${ana.contactId}.json"`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const data = (await res.json()) as { contact: Record<string, unknown>; conversations: { messages: { text: string }[]; agentNotes: { text: string }[]; pagesSeen: { url: string }[]; files: { name: string }[]; surveyAnswers: unknown; consent: unknown }[] };
    expect(data.contact).toMatchObject({ id: ana.contactId, name: 'Ana García', email: 'ana@example.com' });
    expect(data.contact).not.toHaveProperty('token_hash');
    expect(JSON.stringify(data)).not.toContain(ana.token!);
    const [c] = data.conversations;
    expect(c!.messages.map((m) => m.text)).toEqual(expect.arrayContaining(['my order NW-12345 never came, Ana', 'Sorry Ana, sending a new one']));
    expect(c!.agentNotes.map((n) => n.text)).toEqual(['customer is upset, refund shipping']);
    expect(c!.pagesSeen.map((p) => p.url)).toEqual(['https://shop.test/orders/12345']);
    expect(c!.files.map((f) => f.name)).toEqual(['receipt.png']);
    expect(c!.consent).toMatchObject({ textHash: expect.any(String) });
    const audit = (await (await fetch(`${server.url}/api/v1/audit`, { headers: { cookie: ana.cookie } })).json()) as { entries: { action: string; target: string }[] };
    expect(audit.entries[0]).toMatchObject({ action: 'contact.export', target: ana.contactId });
  });

  it('is refused to a plain agent, and an unknown contact is a 404', async () => {
    server = await startServer();
    const ana = await richContact(server);
    expect((await server.post('/api/v1/agents', { email: 'pat@example.com', name: 'Pat', password: PASSWORD }, { cookie: ana.cookie })).status).toBe(201);
    const pat = await server.login('pat@example.com', PASSWORD);
    expect((await fetch(`${server.url}/api/v1/contacts/${ana.contactId}/export`, { headers: { cookie: pat } })).status).toBe(403);
    expect((await server.post(`/api/v1/contacts/${ana.contactId}/erase`, { confirm: true }, { cookie: pat })).status).toBe(403);
    expect((await fetch(`${server.url}/api/v1/audit`, { headers: { cookie: pat } })).status).toBe(403);
    expect((await fetch(`${server.url}/api/v1/contacts/nobody/export`, { headers: { cookie: ana.cookie } })).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/contacts/${ana.contactId}/export`)).status).toBe(401);
  });

  it('is erased on request: conversations, messages, notes, files, search entries and the token go; a proof naming no one stays', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-erase-'));
    dirs.push(dataDir);
    server = await startServer(chatOnlyConfig(), { dataDir });
    const ana = await richContact(server);
    const bo = await richContact(server, 'Bo Lind', 'bo@example.com');
    const filesBefore = walk(join(dataDir)).filter((f) => !/\.(db|sqlite|db-wal|db-shm)$/.test(f) && !f.includes('parley.db'));
    expect(filesBefore.length).toBeGreaterThanOrEqual(2);

    for (const bad of [{}, { confirm: false }, { confirm: 'yes' }, { confirm: true, reason: 'x'.repeat(600) }]) {
      expect((await server.post(`/api/v1/contacts/${ana.contactId}/erase`, bad, { cookie: ana.cookie })).status).toBe(422);
    }
    const res = await server.post(`/api/v1/contacts/${ana.contactId}/erase`, { confirm: true, reason: 'GDPR request #42' }, { cookie: ana.cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ erased: { conversations: 1, messages: 3, files: 1 } });

    const db = server.parley.db;
    expect(await db.selectFrom('contacts').select('id').where('id', '=', ana.contactId).executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom('conversations').select('id').where('id', '=', ana.conversationId).executeTakeFirst()).toBeUndefined();
    for (const table of ['messages', 'notes', 'page_views', 'attachments', 'routing_events'] as const) {
      expect((await db.selectFrom(table).select('conversation_id').where('conversation_id', '=', ana.conversationId).execute()).length, table).toBe(0);
    }
    // Bo is untouched
    expect((await db.selectFrom('messages').select('id').where('conversation_id', '=', bo.conversationId).execute()).length).toBe(3);
    // the file is gone from the disk, Bo's stays
    const filesAfter = walk(join(dataDir)).filter((f) => filesBefore.includes(f));
    expect(filesAfter.length).toBe(filesBefore.length - 1);
    // search finds nothing of hers, Bo's words still
    const search = async (q: string) => ((await ana.agent.emitWithAck('inbox:search', { q, limit: 20 })) as { ok: true; data: { conversations: { id: string }[] } }).data.conversations.map((c) => c.id);
    expect(await search('NW-12345')).toEqual([bo.conversationId]);
    expect(await search('García')).toEqual([]);
    // not even the full-text index keeps her words
    // (FTS5's tables on SQLite; on PostgreSQL the messages' tsvector column and the documents' table)
    const count = async (table: 'message_search' | 'conversation_search', q: string) => {
      if (!isPostgres(db)) return Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.table(table)} MATCH ${q}`.execute(db)).rows[0]!.n);
      const from = table === 'message_search' ? sql`messages` : sql`conversation_search`;
      return Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${from} WHERE search @@ to_tsquery('simple', ${q.toLowerCase()})`.execute(db)).rows[0]!.n);
    };
    expect(await count('message_search', 'Ana')).toBe(0);
    expect(await count('message_search', 'Bo')).toBe(2);
    expect(await count('conversation_search', 'García')).toBe(0);
    expect(await count('conversation_search', 'Lind')).toBe(1);
    // her token no longer opens anything
    const visitor = server.visitorSocket(ana.token!);
    await expect(connected(visitor)).rejects.toMatchObject({ data: { code: 'unauthorized' } });
    expect((await fetch(`${server.url}/api/v1/sites/demo/unread`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: ana.token })).status).toBe(401);
    // the proof: who, when, how much, and why, never her name or email
    const audit = (await (await fetch(`${server.url}/api/v1/audit`, { headers: { cookie: ana.cookie } })).json()) as { entries: { action: string; detail: Record<string, unknown>; actorName: string }[] };
    const proof = audit.entries.find((e) => e.action === 'contact.erase')!;
    expect(proof).toMatchObject({ actorName: 'Alex Agent', detail: { siteId: 'demo', conversations: 1, messages: 3, files: 1, reason: 'GDPR request #42' } });
    expect(JSON.stringify(audit)).not.toMatch(/Ana|ana@example|García/);
  });
});

describe('retention', () => {
  it('deletes closed conversations older than the site keeps them, and nothing else', async () => {
    let now = new Date('2026-01-01T10:00:00Z').getTime();
    const clock = { now: () => new Date(now) };
    const scheduler = manualScheduler();
    const config = chatOnlyConfig();
    config.sites.demo!.retention = { closedConversationDays: 30 };
    server = await startServer(config, { clock, scheduler });
    const old = await richContact(server, 'Old Closed', 'old@example.com');
    const openOne = await richContact(server, 'Still Open', 'open@example.com');
    expect((await old.agent.emitWithAck('conversation:close', { conversationId: old.conversationId })).ok).toBe(true);
    now += 20 * 86_400_000;
    const recent = await richContact(server, 'Recent Closed', 'recent@example.com');
    expect((await recent.agent.emitWithAck('conversation:close', { conversationId: recent.conversationId })).ok).toBe(true);
    now += 15 * 86_400_000;
    scheduler.runAll();
    await server.parley.personalData.settled();
    await server.parley.personalData.applyRetention();
    const left = (await server.parley.db.selectFrom('conversations').select('id').execute()).map((c) => c.id).sort();
    expect(left).toEqual([openOne.conversationId, recent.conversationId].sort());
    const audit = await server.parley.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'retention.purge').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ siteId: 'demo', days: 30, conversations: 1 });
  });
});

describe('the audit log', () => {
  it("records role changes and deactivations with who did them", async () => {
    server = await startServer();
    const admin = await server.login();
    expect((await server.post('/api/v1/agents', { email: 'pat@example.com', name: 'Pat', password: PASSWORD }, { cookie: admin })).status).toBe(201);
    const id = (await server.parley.db.selectFrom('agents').select('id').where('email', '=', 'pat@example.com').executeTakeFirstOrThrow()).id;
    const patch = (body: unknown) => fetch(`${server!.url}/api/v1/agents/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify(body) });
    expect((await patch({ role: 'admin' })).status).toBe(200);
    expect((await patch({ active: false })).status).toBe(200);
    const { entries } = (await (await fetch(`${server.url}/api/v1/audit`, { headers: { cookie: admin } })).json()) as { entries: { action: string; target: string; actorName: string; detail: unknown }[] };
    expect(entries.map((e) => [e.action, e.target, e.actorName])).toEqual([
      ['agent.deactivate', id, 'Alex Agent'],
      ['agent.role', id, 'Alex Agent'],
      ['agent.created', id, 'Alex Agent'],
    ]);
  });
});

describe("the visitor's own \"delete my data\"", () => {
  it('erases everything about them, withdraws their consent (kept in the audit log), closes their tabs and tells the consoles', async () => {
    server = await startServer();
    const ana = await richContact(server);
    const visitor = server.visitorSocket(ana.token!);
    await connected(visitor);
    await visitor.emitWithAck('conversation:join', { conversationId: ana.conversationId, afterSeq: 0 });
    for (const bad of [{}, { confirm: 'yes' }, { confirm: false }, null]) {
      const ack = await (visitor.timeout(3000) as unknown as { emitWithAck(e: string, d: unknown): Promise<{ ok: boolean; code?: string }> }).emitWithAck('contact:erase', bad);
      expect(ack).toMatchObject({ ok: false, code: 'invalid_payload' });
    }
    expect(await server.parley.db.selectFrom('contacts').select('id').where('id', '=', ana.contactId).executeTakeFirst()).toBeDefined();

    const removed = new Promise<{ ids: string[] }>((resolve) => ana.agent.on('conversations:removed', resolve));
    const closed = new Promise<string>((resolve) => visitor.on('disconnect', resolve));
    expect(await visitor.emitWithAck('contact:erase', { confirm: true })).toEqual({ ok: true, data: { erased: true } });
    expect((await removed).ids).toEqual([ana.conversationId]);
    expect(await closed).toBe('io server disconnect');
    expect(await server.parley.db.selectFrom('contacts').select('id').where('id', '=', ana.contactId).executeTakeFirst()).toBeUndefined();
    expect((await server.parley.db.selectFrom('messages').select('id').where('conversation_id', '=', ana.conversationId).execute()).length).toBe(0);
    const again = server.visitorSocket(ana.token!);
    await expect(connected(again)).rejects.toMatchObject({ data: { code: 'unauthorized' } });
    const audit = await server.parley.db.selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('action', '=', 'contact.erase.visitor').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBeNull();
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ consentWithdrawn: true, conversations: 1 });
    expect(audit[0]!.detail).not.toMatch(/Ana|ana@example/);
  });
});

describe('the retention query', () => {
  it("reads a site's old closed conversations through an index, never a scan of all closed ones", async () => {
    const { CompiledQuery } = await import('kysely');
    // SQLite's planner, in every project
    server = await startServer(undefined, { sqlite: true });
    const db = server.parley.db;
    const { sql, parameters } = db.selectFrom('conversations').select('id').where('site_id', '=', 'demo').where('status', '=', 'closed').where('closed_at', '<', '2026-01-01').limit(200).compile();
    const plan = (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${sql}`, [...parameters]))).rows.map((r) => r.detail).join('\n');
    expect(plan).toMatch(/USING (COVERING )?INDEX conversations_retention \(site_id=\? AND status=\? AND closed_at<\?\)/);
  });
});
