import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StartConversationResult } from '../../protocol/src/index';
import type { Config } from '../../server/src/config/schema';
import { ROOT } from '../../server/src/paths';
import { ADMIN, goodAnswers } from './server';

/** A port nobody listens on right now (the OS picks it), for a server started as a child process. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** True while something accepts TCP connections on the port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** How a child process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process of a test: its output so far and its end. */
export interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<Exit>;
}

const children = new Set<ChildProcess>();

/** SIGKILLs every child a test started and has not seen end: call in afterEach/afterAll, so a failing test leaves nothing running. */
export async function killChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  children.clear();
}

/** Starts `node <args>` in the repository root; resolves once `ready` shows in its output. */
export async function startChild(args: string[], env: Record<string, string>, ready = 'Parley is running', ms = 15_000): Promise<Child> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${ms} ms:\n${text}`)), ms);
    const check = () => {
      if (!text.includes(ready)) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve();
    };
    child.stdout?.on('data', check);
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`exited (${exit.code ?? exit.signal}) before it was ready:\n${text}`));
    });
  });
  return { process: child, output: () => text, exited };
}

/** Resolves with the exit, or rejects when the child has not ended within `ms`. */
export function exitWithin(child: Child, ms: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running after ${ms} ms:\n${child.output()}`)), ms);
    void child.exited.then((exit) => {
      clearTimeout(timer);
      resolve(exit);
    });
  });
}

/** A data directory and a config file for a built server, removed by `remove`. */
export function workspace(config: Config) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-built-'));
  const configFile = join(dir, 'parley.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  return {
    dataDir: join(dir, 'data'),
    database: join(dir, 'data', 'parley.sqlite'),
    configFile,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The environment of `node dist/server/main.js` on a port and a data directory, with the test admin. */
export function serverEnv(port: number, dataDir: string, configFile: string): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CONFIG: configFile,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    // these tests flood one server from 127.0.0.1 to test delivery and shutdown, not the abuse limits
    RATE_LIMITS: 'off',
    // the embedded SQLite in DATA_DIR, even where CI exports DATABASE_URL for the PostgreSQL tests
    DATABASE_URL: '',
  };
}

/** Starts the built server (`node dist/server/main.js`); run `npm run build` first. */
export function startBuilt(port: number, dataDir: string, configFile: string, env: Record<string, string> = {}): Promise<Child> {
  return startChild(['--enable-source-maps', 'dist/server/main.js'], { ...serverEnv(port, dataDir, configFile), ...env });
}

/** HTTP calls of a test against a server at `url`. */
export function client(url: string) {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return {
    post,
    async startConversation(answers: Record<string, unknown> = goodAnswers): Promise<StartConversationResult> {
      const res = await post('/api/v1/sites/demo/conversations', { answers, consent: true, pageUrl: 'http://shop.test/cart' });
      if (res.status !== 201) throw new Error(`start failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as StartConversationResult;
    },
    async login(email = ADMIN.email, password = ADMIN.password): Promise<string> {
      const res = await post('/api/v1/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    },
  };
}
