import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../server/src/paths';
import { type TestServer, goodAnswers, startServer, testStore } from '../helpers/server';

/**
 * `parley <command>` as an operator runs it (bin/parley.mjs on the build), on the store of a server
 * that is running at the same time: what the commands change, the server sees at once.
 */
const BIN = join(ROOT, 'bin/parley.mjs');
let dir: string;
let server: TestServer;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function parley(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    // the store of the test's server: its SQLite data directory, or its PostgreSQL schema
    const pg = testStore(dir).postgres;
    const store = pg ? { DATABASE_URL: pg.url, DATABASE_SCHEMA: pg.schema as string } : { DATABASE_URL: '' };
    const child = execFile(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn', ...store, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
    else child.stdin!.end();
  });
}

const login = (email: string, password: string) => server.post('/api/v1/auth/login', { email, password });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
  server = await startServer(undefined, { dataDir: dir });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('parley <command>', () => {
  it('explains itself, and refuses an unknown command or a missing argument with exit code 2', async () => {
    const help = await parley(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['start', 'migrate', 'create-agent', 'reset-password', 'export-contact', 'erase-contact']) expect(help.stdout).toContain(command);
    const one = await parley(['erase-contact', '--help']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^Usage: parley erase-contact <contact-id> --yes/);
    const unknown = await parley(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const missing = await parley(['create-agent', '--email', 'a@example.com']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--email and --name are required');
    const stray = await parley(['migrate', '--force']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/Unknown option '--force'/);
  });

  it('migrate reports the store up to date', async () => {
    const run = await parley(['migrate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/is up to date: \d+ migrations, the latest 00\d\d_/);
  });

  it('create-agent makes an agent who can sign in; the password never comes from the command line', async () => {
    const noPassword = await parley(['create-agent', '--email', 'olga@example.com', '--name', 'Olga Ops']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('no password');
    const short = await parley(['create-agent', '--email', 'olga@example.com', '--name', 'Olga Ops'], { PARLEY_PASSWORD: 'short' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('--password: a password needs at least 10 characters');
    const badRole = await parley(['create-agent', '--email', 'olga@example.com', '--name', 'Olga Ops', '--role', 'owner'], { PARLEY_PASSWORD: 'long enough secret' });
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('--role: expected admin or agent');

    const made = await parley(['create-agent', '--email', 'Olga@Example.com', '--name', 'Olga <b>Ops</b> 🛠', '--password-stdin'], {}, 'long enough secret\n');
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^created agent Olga <b>Ops<\/b> 🛠 <olga@example\.com> \([0-9a-f-]{36}\)\n$/);
    const session = await login('olga@example.com', 'long enough secret');
    expect(session.status).toBe(200);
    expect((await session.json()) as { name: string; role: string }).toMatchObject({ name: 'Olga <b>Ops</b> 🛠', role: 'agent' });

    const again = await parley(['create-agent', '--email', 'olga@example.com', '--name', 'Olga'], { PARLEY_PASSWORD: 'long enough secret' });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('this email is taken');
  });

  it('reset-password changes the password and ends the sessions already open', async () => {
    const before = await login('olga@example.com', 'long enough secret');
    const cookie = String(before.headers.get('set-cookie')).split(';')[0]!;
    expect((await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(200);

    const unknown = await parley(['reset-password', '--email', 'nobody@example.com'], { PARLEY_PASSWORD: 'a brand new secret' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no agent with the email nobody@example.com');
    const reset = await parley(['reset-password', '--email', 'OLGA@example.com', '--password-stdin'], {}, 'a brand new secret\n');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('password changed for Olga <b>Ops</b> 🛠');

    expect((await fetch(`${server.url}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(401);
    expect((await login('olga@example.com', 'long enough secret')).status).toBe(401);
    expect((await login('olga@example.com', 'a brand new secret')).status).toBe(200);
  });

  it('export-contact writes the contact as JSON and erase-contact erases them, both in the audit log', async () => {
    const chat = await server.startConversation(goodAnswers);
    const unread = () => fetch(`${server.url}/api/v1/sites/demo/unread`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: chat.token! });
    expect((await unread()).status).toBe(200);

    const exported = await parley(['export-contact', chat.contactId]);
    expect(exported.code).toBe(0);
    const data = JSON.parse(exported.stdout) as { contact: { name: string; email: string }; conversations: { id: string; surveyAnswers: unknown }[] };
    expect(data.contact).toMatchObject({ name: 'Ana García', email: 'ana@example.com' });
    expect(data.conversations.map((c) => c.id)).toEqual([chat.conversationId]);
    expect(JSON.stringify(data)).not.toContain('token_hash');

    const file = join(dir, 'ana.json');
    expect((await parley(['export-contact', chat.contactId, '--out', file])).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).contact.email).toBe('ana@example.com');

    expect((await parley(['export-contact', 'no-such-contact'])).stderr).toContain('no such contact');
    const unsure = await parley(['erase-contact', chat.contactId]);
    expect(unsure.code).toBe(2);
    expect(unsure.stderr).toContain('add --yes');
    expect((await unread()).status).toBe(200);

    const erased = await parley(['erase-contact', chat.contactId, '--yes', '--reason', 'asked by email on 5 Dec']);
    expect(erased.code).toBe(0);
    expect(erased.stdout).toMatch(/^erased contact .+: 1 conversations, \d+ messages, 0 files\n$/);
    // the visitor's token is dead: the running server refuses it at once
    expect((await unread()).status).toBe(401);

    const exports = await server.parley.db.selectFrom('audit_log').select(['action', 'actor_name']).where('target', '=', chat.contactId).execute();
    expect(exports.map((a) => a.action)).toEqual(['contact.export', 'contact.export']);
    // the proof of an erasure names no one: who erased, when, how much and why
    const erasures = await server.parley.db.selectFrom('audit_log').select(['actor_name', 'target', 'detail']).where('action', '=', 'contact.erase').execute();
    expect(erasures).toHaveLength(1);
    expect(erasures[0]!.target).toBeNull();
    expect(JSON.parse(erasures[0]!.detail!)).toMatchObject({ conversations: 1, reason: 'asked by email on 5 Dec' });
    for (const entry of [...exports, ...erasures]) expect(entry.actor_name).toMatch(/^command line \(.+@.+\)$/);
  });
});
