import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/src/index';
import { type VisitorSocket, chatOnlyConfig, connected } from '../helpers/server';
import { client, exitWithin, freePort, killChildren, listening, serverEnv, startBuilt, startChild, workspace } from '../helpers/built-server';

// these tests run the BUILT server (dist/server/main.js): `npm run build` first

const BOUND_MS = 10_000;
let cleanup: (() => void)[] = [];
afterEach(async () => {
  await killChildren();
  for (const step of cleanup) step();
  cleanup = [];
});

function setup() {
  const ws = workspace(chatOnlyConfig());
  cleanup.push(ws.remove);
  return ws;
}

function visitor(url: string, token: string): VisitorSocket {
  const socket: VisitorSocket = io(`${url}/visitor`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  cleanup.push(() => socket.disconnect());
  return socket;
}

/** The stored messages of a conversation, read from the SQLite file of a stopped server. */
function stored(database: string, conversationId: string): { client_id: string; seq: number; id: string }[] {
  const db = new Database(database, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select id, client_id, seq from messages where conversation_id = ? order by seq').all(conversationId) as { client_id: string; seq: number; id: string }[];
  } finally {
    db.close();
  }
}

describe('SIGTERM to the server', () => {
  it('answers every message it took before closing the sockets, exits 0, and the client’s resends store the rest exactly once', async () => {
    const { dataDir, database, configFile } = setup();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let server = await startBuilt(port, dataDir, configFile);
    const { token, conversationId } = await client(url).startConversation();

    const first = visitor(url, token as string);
    await connected(first);
    const joined = await first.emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
    expect(joined.ok).toBe(true);

    const ids = Array.from({ length: 200 }, (_, i) => `shutdown-${String(i).padStart(3, '0')}-${crypto.randomUUID().slice(0, 8)}`);
    const acked = new Map<string, Message>();
    const sends: Promise<void>[] = [];
    const send = (i: number) =>
      first
        .timeout(BOUND_MS * 2)
        .emitWithAck('message:send', { conversationId, clientId: ids[i] as string, text: `message ${i}` })
        .then(
          (ack) => void (ack.ok && acked.set(ids[i] as string, ack.data.message)),
          () => undefined,
        );
    // a stream of sends, four every 2 ms, without awaiting acks; SIGTERM once the first ack is back
    let signalled = 0;
    for (let i = 0; i < ids.length && first.connected; i += 4) {
      for (let k = i; k < i + 4; k += 1) sends.push(send(k));
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (!signalled && acked.size > 0) {
        signalled = Date.now();
        server.process.kill('SIGTERM');
      }
    }
    if (!signalled) {
      signalled = Date.now();
      server.process.kill('SIGTERM');
    }
    const exit = await exitWithin(server, BOUND_MS + 2000);
    expect(exit, server.output()).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(BOUND_MS);
    await Promise.all(sends);

    // every message the server stored was acked before its socket closed, and every ack is stored once
    const before = stored(database, conversationId);
    expect(before.map((m) => m.client_id).sort()).toEqual([...acked.keys()].sort());
    for (const [clientId, message] of acked) expect(before.find((m) => m.client_id === clientId)).toMatchObject({ id: message.id, seq: message.seq });
    console.log(JSON.stringify({ shutdown: { sentBeforeExit: sends.length, ackedBeforeExit: acked.size, resentAfterRestart: ids.length - acked.size } }));

    // the same data, a new process: the client resends what got no ack, with the same client ids
    server = await startBuilt(port, dataDir, configFile);
    const second = visitor(url, token as string);
    await connected(second);
    expect((await second.emitWithAck('conversation:join', { conversationId, afterSeq: 0 })).ok).toBe(true);
    const unacked = ids.map((clientId, i) => ({ clientId, i })).filter(({ clientId }) => !acked.has(clientId));
    const resent = await Promise.all(
      unacked.map(({ clientId, i }) => second.timeout(BOUND_MS).emitWithAck('message:send', { conversationId, clientId, text: `message ${i}` })),
    );
    for (const [k, ack] of resent.entries()) {
      if (!ack.ok) throw new Error(`resend refused: ${ack.message}`);
      acked.set(unacked[k]!.clientId, ack.data.message);
    }
    server.process.kill('SIGTERM');
    expect(await exitWithin(server, BOUND_MS + 2000)).toEqual({ code: 0, signal: null });

    // all 200 once each, numbered 1..200 in the client's own order
    const after = stored(database, conversationId);
    expect(after.map((m) => m.client_id)).toEqual(ids);
    expect(after.map((m) => m.seq)).toEqual(ids.map((_, i) => i + 1));
    for (const m of after) expect(acked.get(m.client_id)?.id).toBe(m.id);
  });

  it('exits 1 after the bound with a line naming what was left', async () => {
    const { dataDir, configFile } = setup();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // a bound no shutdown can meet while a socket is open: closing it takes at least a poll of 10 ms
    const server = await startBuilt(port, dataDir, configFile, { SHUTDOWN_TIMEOUT_MS: '1' });
    const { token } = await client(url).startConversation();
    await connected(visitor(url, token as string));
    server.process.kill('SIGTERM');
    expect(await exitWithin(server, BOUND_MS)).toEqual({ code: 1, signal: null });
    expect(server.output()).toMatch(/parley did not shut down within 1 ms; left: stage: \w+/);
  });
});

describe('SIGTERM or SIGINT to the launcher (npm start)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('passes %s to the server, exits with its code 0, and leaves nothing listening', async (signal) => {
    const { dataDir, configFile } = setup();
    const port = await freePort();
    // PARLEY_SKIP_BUILD: start what dist/ holds, as the test builds once before
    const launcher = await startChild(['scripts/start.mjs'], { ...serverEnv(port, dataDir, configFile), PARLEY_SKIP_BUILD: '1' });
    const serverPid = Number(execFileSync('ps', ['-o', 'pid=', '--ppid', String(launcher.process.pid)], { encoding: 'utf8' }).trim());
    expect(serverPid).toBeGreaterThan(0);
    // should the launcher fail to pass the signal on, the orphan must not outlive the test
    cleanup.push(() => {
      try {
        process.kill(serverPid, 'SIGKILL');
      } catch {
        // gone already, as it should be
      }
    });
    expect(await listening(port)).toBe(true);

    launcher.process.kill(signal);
    expect(await exitWithin(launcher, BOUND_MS + 2000), launcher.output()).toEqual({ code: 0, signal: null });
    expect(await listening(port)).toBe(false);
    expect(() => process.kill(serverPid, 0)).toThrow();
  });
});
