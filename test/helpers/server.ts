import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { join } from 'node:path';
import { type Socket, io } from 'socket.io-client';
import type {
  Ack,
  AgentClientEvents,
  AgentServerEvents,
  StartConversationResult,
  VisitorClientEvents,
  VisitorServerEvents,
} from '../../protocol/src/index';
import { type Parley, type ParleyOptions, createParley } from '../../server/src/app';
import { loadConfig } from '../../server/src/config/load';
import type { Config } from '../../server/src/config/schema';
import { createLogger } from '../../server/src/logger';
import { ROOT } from '../../server/src/paths';

export type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;
export type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

export const demoConfig = (): Config => loadConfig(join(ROOT, 'demo/parley.config.json'));

/** The demo config without auto-replies: for tests of the chat itself, which count messages and seqs exactly. */
export function chatOnlyConfig(): Config {
  const config = demoConfig();
  for (const site of Object.values(config.sites)) delete site.autoReplies;
  config.autoReplies = { ...config.autoReplies, rules: [], quickReplies: [] };
  return config;
}

export const goodAnswers = { name: 'Ana García', email: 'ana@example.com', inquiryType: 'billing' };

/** A real server on port 0 with an in-memory store and one admin. */
/**
 * The store a test server runs on: SQLite in memory (or in `dataDir`), or with
 * `PARLEY_TEST_STORE=postgres` PostgreSQL at DATABASE_URL, in a schema of the server's own (one
 * per `dataDir`, so a test that restarts a server on the same data finds it again).
 */
export function testStore(dataDir?: string): Pick<ParleyOptions, 'postgres'> & { drop(): Promise<void> } {
  if (process.env.PARLEY_TEST_STORE !== 'postgres') return { drop: async () => {} };
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = dataDir ? `t_${createHash('sha256').update(dataDir).digest('hex').slice(0, 24)}` : `t_${randomUUID().replace(/-/g, '')}`;
  return {
    postgres: { url, schema, poolSize: 4 },
    async drop() {
      if (dataDir) return; // another server may open it again; the data directory's test removes it with the database
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}

/**
 * A Parley server on a free port for one test. `sqlite: true` keeps it on SQLite whatever the
 * project: for tests of SQLite's own query plans (EXPLAIN QUERY PLAN), which run in both projects.
 */
export async function startServer(
  config: Config = chatOnlyConfig(),
  { sqlite = false, ...options }: Partial<Pick<ParleyOptions, 'clock' | 'scheduler' | 'log' | 'dataDir' | 'secureCookies' | 'mail' | 'rateLimits' | 'identitySecrets'>> & { sqlite?: boolean } = {},
) {
  const store = sqlite ? { drop: async () => {} } : testStore(options.dataDir);
  const parley: Parley = await createParley({ config, log: createLogger('silent'), dataDir: ':memory:', ...('postgres' in store && store.postgres ? { postgres: store.postgres } : {}), ...options });
  await parley.auth.ensureAdmin(ADMIN.email, ADMIN.password, 'Alex Agent');
  const port = await parley.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const sockets: Socket[] = [];

  const track = <S extends Socket>(socket: S): S => {
    sockets.push(socket);
    return socket;
  };

  return {
    parley,
    url,
    post(path: string, body: unknown, headers: Record<string, string> = {}) {
      return fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async startConversation(answers: Record<string, unknown> = goodAnswers, token?: string): Promise<StartConversationResult> {
      const res = await this.post('/api/v1/sites/demo/conversations', { answers, consent: true, pageUrl: 'http://shop.test/cart' }, token ? { authorization: `Bearer ${token}` } : {});
      if (res.status !== 201) throw new Error(`start failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as StartConversationResult;
    },
    visitorSocket(token: string): VisitorSocket {
      return track(io(`${url}/visitor`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true }));
    },
    async login(email = ADMIN.email, password = ADMIN.password): Promise<string> {
      const res = await this.post('/api/v1/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
      return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    },
    agentSocket(cookie: string, headers: Record<string, string> = {}): AgentSocket {
      return track(io(`${url}/agent`, { extraHeaders: { cookie, ...headers }, transports: ['websocket'], reconnection: false, forceNew: true }));
    },
    async close() {
      for (const s of sockets) s.disconnect();
      await parley.close();
      await store.drop();
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startServer>>;

/** Resolves on the socket's connection, rejects with its connect_error. */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** Resolves with the next event of that name (optionally the first that matches). */
export function nextEvent<T>(socket: Socket, event: string, match: (payload: T) => boolean = () => true, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** Emits raw arguments with an ack, for sending payloads the types forbid. */
export function emitRaw<T>(socket: Socket, event: string, ...args: unknown[]): Promise<Ack<T>> {
  return (socket.timeout(5000) as unknown as { emitWithAck: (e: string, ...a: unknown[]) => Promise<Ack<T>> }).emitWithAck(event, ...args);
}

export const clientId = (): string => crypto.randomUUID();
