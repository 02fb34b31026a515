// `npm run bench`: the server benchmark.
//
// Starts the real Parley server (node dist/server/main.js, embedded SQLite in a
// fresh temp dir) and, as the baseline, a bare Socket.IO relay
// (bench/bare-relay.mjs), and drives both with the same load generators
// (bench/client.mjs, forked child processes using socket.io-client).
// Progress goes to stderr; one JSON document goes to stdout; the figures are
// written into docs/PERFORMANCE.md.
//
// env: BENCH_ONLY=throughput,latency,idle,storm,durability  run a subset (docs not rewritten)
//      BENCH_SCALE=0.2                                      scale counts/durations down (docs not rewritten)
//      BENCH_NO_DOCS=1                                      do not rewrite docs/PERFORMANCE.md
//      BENCH_RENDER=<file.json>                             only re-render docs/PERFORMANCE.md from a saved stdout
//      BENCH_CPU_PROF=<dir>                                 run every Parley server under node --cpu-prof (profiles in <dir>)
import { execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER_ENTRY = join(ROOT, 'dist/server/main.js');
const CLIENT = join(ROOT, 'bench/client.mjs');
const RELAY = join(ROOT, 'bench/bare-relay.mjs');
const ADMIN = { email: 'bench-admin@example.com', password: 'bench password 1234' };
const RUN_STARTED = Date.now();
const HARD_LIMIT_MS = 9 * 60_000;

const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
const scale = Number(process.env.BENCH_SCALE ?? 1);
const full = !only && scale === 1;
const n = (x, min = 1) => Math.max(min, Math.round(x * scale));

const PLAN = {
  throughput: { visitors: 50, procs: 2, window: 10, durationMs: n(10_000, 2000), repeats: 3 },
  latency: { visitors: 50, rate: 1000, durationMs: n(10_000, 2000), warmupMs: 1000 },
  idle: { sockets: n(10_000, 200), procs: 4, tokens: 100 },
  // an agent's reply claims an unassigned conversation within their capacity (at most 100): 100 replies, capacity 100
  storm: { sockets: n(2_000, 100), conversations: n(500, 25), procs: 2, sendTo: n(100, 10) },
  durability: { visitors: 50, procs: 2, window: 10, durationMs: n(5_000, 2000), repeats: 3 },
};

const log = (...args) => process.stderr.write(`[bench ${((Date.now() - RUN_STARTED) / 1000).toFixed(1).padStart(5)}s] ${args.join(' ')}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 0) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

// ---------------------------------------------------------------- processes

const live = new Set(); // every child process we started, killed at the end whatever happens
const tempDirs = new Set();

function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

function killAll() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {}
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    killAll();
    process.exit(130);
  });
}
setTimeout(() => {
  log(`hard limit of ${HARD_LIMIT_MS / 60_000} min reached: stopping`);
  killAll();
  process.exit(2);
}, HARD_LIMIT_MS).unref();

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function prefixLines(stream, prefix) {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) if (line.trim()) process.stderr.write(`${prefix} ${line}\n`);
  });
}

async function waitHealthy(url, child, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`server at ${url} not healthy within ${ms} ms`);
}

/** Starts a server process: kind 'parley' (the real server) or 'bare' (the relay). */
async function startServer(kind, { synchronous = 'FULL', groupCommit = true } = {}) {
  const nodeArgs = kind === 'parley' && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child;
  if (kind === 'parley') {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
    tempDirs.add(dataDir);
    child = spawn(process.execPath, [...nodeArgs, SERVER_ENTRY], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'warn',
        SQLITE_SYNCHRONOUS: synchronous,
        GROUP_COMMIT: groupCommit ? 'on' : 'off',
        // the load comes from one address at thousands of messages a second: the abuse limits would stop it
        RATE_LIMITS: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } else {
    child = spawn(process.execPath, [...nodeArgs, RELAY], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  track(child);
  prefixLines(child.stdout, `  [${kind}]`);
  prefixLines(child.stderr, `  [${kind}!]`);
  await waitHealthy(url, child);
  return {
    kind,
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A forked load generator with a promise-based RPC over IPC. */
function startClient(name) {
  const child = track(fork(CLIENT, [], { cwd: ROOT, stdio: ['ignore', 2, 2, 'ipc'] }));
  const pending = new Map();
  let nextId = 0;
  child.on('message', ({ id, ok, result, error }) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    ok ? p.resolve(result) : p.reject(new Error(`${name}: ${error}`));
  });
  child.once('exit', (code, signal) => {
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`${name} exited (${code ?? signal})`));
    }
    pending.clear();
  });
  return {
    pid: child.pid,
    call(cmd, args = {}, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: ${cmd} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        child.send({ id, cmd, args });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function withClients(names, fn) {
  const clients = names.map(startClient);
  try {
    return await fn(clients);
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
  }
}

// ---------------------------------------------------------------- /proc

function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14, 15)
}

/**
 * Waits (bounded) until the server process is nearly idle: work that setup left
 * behind (welcome auto-replies and routing of new conversations run after the
 * HTTP answer) must not be billed to the scenario that follows.
 */
async function waitQuiet(pid, { maxMs = 30_000, sliceMs = 500, belowPct = 10 } = {}) {
  const started = Date.now();
  while (Date.now() - started < maxMs) {
    const c0 = cpuSeconds(pid);
    await sleep(sliceMs);
    if (((cpuSeconds(pid) - c0) / (sliceMs / 1000)) * 100 < belowPct) break;
  }
  return Date.now() - started;
}

// ---------------------------------------------------------------- HTTP setup

async function createConversations(url, count, concurrency = 8) {
  const out = new Array(count);
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const res = await fetch(`${url}/api/v1/sites/demo/conversations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ answers: { name: `Bench ${i}`, email: `b${i}@example.com`, inquiryType: 'billing' }, consent: true }),
        });
        if (res.status !== 201) throw new Error(`POST conversations: ${res.status} ${await res.text()}`);
        const { token, conversationId } = await res.json();
        out[i] = { token, conversationId };
      }
    }),
  );
  return { conversations: out, ms: Date.now() - started };
}

async function login(url) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

/** Lets the bench's agent take `count` conversations: each reply claims one within the agent's capacity. */
async function raiseCapacity(url, cookie, count) {
  const list = await fetch(`${url}/api/v1/agents`, { headers: { cookie } });
  if (list.status !== 200) throw new Error(`GET agents: ${list.status} ${await list.text()}`);
  const me = (await list.json()).agents.find((a) => a.email === ADMIN.email);
  const res = await fetch(`${url}/api/v1/agents/${me.id}`, {
    method: 'PATCH',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ capacity: Math.min(100, Math.max(count, 1)) }),
  });
  if (res.status !== 200) throw new Error(`PATCH agent capacity: ${res.status} ${await res.text()}`);
}

const split = (items, parts) => Array.from({ length: parts }, (_, p) => items.filter((_, i) => i % parts === p));
const sumOf = (rows, key) => rows.reduce((a, r) => a + (r[key] ?? 0), 0);
const mergeCounts = (rows, key) => rows.reduce((acc, r) => {
  for (const [k, v] of Object.entries(r[key] ?? {})) acc[k] = (acc[k] ?? 0) + v;
  return acc;
}, {});

// ---------------------------------------------------------------- scenarios

/**
 * The server's event-loop lag p99 (ms) since the previous scrape of its /metrics (prom-client's
 * perf_hooks.monitorEventLoopDelay, reset at each scrape); null for the bare relay, which has none.
 */
async function eventLoopLagP99(server) {
  if (server.kind !== 'parley') return null;
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = /^parley_nodejs_eventloop_lag_p99_seconds\s+(\S+)/m.exec(text);
  return m ? round(Number(m[1]) * 1000, 1) : null;
}

/** Scenario 1 (and 5): closed-loop throughput, `window` sends in flight per visitor. */
async function throughput(server, { visitors, procs, window, durationMs, repeats = 1 }) {
  const { conversations, ms: setupMs } = await createConversations(server.url, visitors);
  const cookie = await login(server.url);
  return withClients(['agent', ...Array.from({ length: procs }, (_, i) => `visitors-${i}`)], async ([agent, ...senders]) => {
    await agent.call('connectAgent', { url: server.url, cookie, conversationIds: conversations.map((c) => c.conversationId) });
    const parts = split(conversations, procs);
    await Promise.all(senders.map((c, i) => c.call('connectVisitors', { url: server.url, visitors: parts[i] })));
    await waitQuiet(server.pid);
    // 1 s warm-up (JIT, SQLite page cache), not counted
    const warmAt = Date.now() + 300;
    const warm = await Promise.all(senders.map((c) => c.call('throughput', { startAt: warmAt, durationMs: 1000, window }, 60_000)));
    await agent.call('agentCount', { expect: sumOf(warm, 'acked'), timeoutMs: 15_000 });
    await eventLoopLagP99(server); // resets the server's histogram: the figure covers the measured runs only
    const runs = [];
    for (let r = 0; r < repeats; r++) {
      const before = (await agent.call('agentCount', {})).fromVisitors;
      const startAt = Date.now() + 300;
      await agent.call('agentWindow', { startAt, durationMs });
      const cpu0 = cpuSeconds(server.pid);
      const rows = await Promise.all(senders.map((c) => c.call('throughput', { startAt, durationMs, window }, durationMs + 60_000)));
      const cpuUsed = cpuSeconds(server.pid) - cpu0;
      const acked = sumOf(rows, 'acked');
      const got = await agent.call('agentCount', { expect: before + acked, timeoutMs: 15_000 });
      runs.push({
        sent: sumOf(rows, 'sent'),
        acked,
        delivered: got.fromVisitors - before,
        failed: sumOf(rows, 'failed'),
        errors: mergeCounts(rows, 'errors'),
        ackedPerSec: round(sumOf(rows, 'ackedInWindow') / (durationMs / 1000)),
        deliveredPerSec: round(got.inWindow / (durationMs / 1000)),
        ackMsP50: round(Math.max(...rows.map((x) => x.ackMs.p50 ?? 0)), 2),
        ackMsP99: round(Math.max(...rows.map((x) => x.ackMs.p99 ?? 0)), 2),
        serverCpuPct: round((cpuUsed / (durationMs / 1000)) * 100),
        serverCpuUsPerMessage: acked ? round((cpuUsed * 1e6) / acked) : null,
      });
    }
    // the figures are the median run (by msg/s acked); the checks cover every run
    const median = [...runs].sort((a, b) => a.ackedPerSec - b.ackedPerSec)[Math.floor(runs.length / 2)];
    const sent = sumOf(runs, 'sent');
    const acked = sumOf(runs, 'acked');
    const delivered = sumOf(runs, 'delivered');
    const failed = sumOf(runs, 'failed');
    return {
      visitors,
      window,
      durationMs,
      repeats,
      setupMs,
      ...median,
      runsAckedPerSec: runs.map((x) => x.ackedPerSec),
      sent,
      acked,
      delivered,
      failed,
      errors: mergeCounts(runs, 'errors'),
      serverRssMB: round(rssBytes(server.pid) / 2 ** 20, 1),
      eventLoopLagP99Ms: await eventLoopLagP99(server),
      ok: failed === 0 && delivered === acked && sent === acked && acked > 0,
    };
  });
}

/** Scenario 2: open-loop fixed rate, visitor send -> agent `message:new`. */
async function latency(server, { visitors, rate, durationMs, warmupMs }) {
  const { conversations } = await createConversations(server.url, visitors);
  const cookie = await login(server.url);
  return withClients(['latency'], async ([client]) => {
    await client.call('connectAgent', { url: server.url, cookie, conversationIds: conversations.map((c) => c.conversationId) });
    await client.call('connectVisitors', { url: server.url, visitors: conversations });
    await waitQuiet(server.pid);
    await client.call('latency', { rate, durationMs: warmupMs, drainMs: 5_000 }, warmupMs + 30_000);
    const cpu0 = cpuSeconds(server.pid);
    const r = await client.call('latency', { rate, durationMs, drainMs: 10_000 }, durationMs + 60_000);
    const cpuUsed = cpuSeconds(server.pid) - cpu0;
    return {
      rate,
      visitors,
      durationMs,
      scheduled: r.scheduled,
      acked: r.acked,
      delivered: r.delivered,
      failed: r.failed,
      errors: r.errors,
      achievedRate: r.achievedRate,
      maxSchedulerLagMs: r.maxSchedulerLagMs,
      deliverMs: r.deliverMs,
      ackMs: r.ackMs,
      serverCpuPct: round((cpuUsed / (durationMs / 1000)) * 100),
      ok: r.failed === 0 && r.delivered === r.scheduled && r.acked === r.scheduled,
    };
  });
}

/** Scenario 3: many idle visitor sockets (connected and joined), server RSS growth. */
async function idle(server, { sockets, procs, tokens }) {
  const { conversations } = await createConversations(server.url, Math.min(tokens, sockets));
  await waitQuiet(server.pid);
  await sleep(1000);
  const rssBefore = rssBytes(server.pid);
  return withClients(Array.from({ length: procs }, (_, i) => `idle-${i}`), async (clients) => {
    const started = Date.now();
    const per = Math.ceil(sockets / procs);
    const rows = await Promise.all(
      clients.map((c, p) => {
        const list = [];
        for (let i = p * per; i < Math.min(sockets, (p + 1) * per); i++) list.push(conversations[i % conversations.length]);
        return c.call('connectVisitors', { url: server.url, visitors: list, concurrency: 100 }, 180_000);
      }),
    );
    const connectMs = Date.now() - started;
    const connected = sumOf(rows, 'connected');
    await sleep(3000);
    const rssAfter = rssBytes(server.pid);
    const clientRss = await Promise.all(clients.map((c) => c.call('memory')));
    return {
      sockets,
      tokens: conversations.length,
      connected,
      failed: sumOf(rows, 'failed'),
      errors: mergeCounts(rows, 'errors'),
      connectMs,
      connectsPerSec: round(connected / (connectMs / 1000)),
      rssBeforeMB: round(rssBefore / 2 ** 20, 1),
      rssAfterMB: round(rssAfter / 2 ** 20, 1),
      bytesPerConnection: connected ? round((rssAfter - rssBefore) / connected) : null,
      clientBytesPerSocket: connected ? round(sumOf(clientRss, 'rss') / connected) : null,
      ok: connected === sockets,
    };
  });
}

/** Scenario 4: drop every visitor socket, send while they are away, reconnect all at once, resync. */
async function storm(server, { sockets, conversations: conversationCount, procs, sendTo }) {
  const { conversations, ms: setupMs } = await createConversations(server.url, conversationCount, 16);
  // several tabs per visitor: socket i belongs to conversation i % conversationCount
  const tabs = Array.from({ length: sockets }, (_, i) => conversations[i % conversations.length]);
  const cookie = await login(server.url);
  if (server.kind === 'parley') await raiseCapacity(server.url, cookie, sendTo);
  return withClients(['agent', ...Array.from({ length: procs }, (_, i) => `storm-${i}`)], async ([agent, ...clients]) => {
    await agent.call('connectAgent', { url: server.url, cookie, conversationIds: [] });
    const parts = split(tabs, procs);
    const joined = await Promise.all(clients.map((c, i) => c.call('connectVisitors', { url: server.url, visitors: parts[i], concurrency: 100 })));
    const quietMs = await waitQuiet(server.pid);
    await Promise.all(clients.map((c) => c.call('disconnectAll')));
    await sleep(1000);
    const expect = await agent.call('agentSend', { conversationIds: conversations.slice(0, sendTo).map((c) => c.conversationId) });
    await sleep(200);
    const startAt = Date.now() + 300;
    const rows = await Promise.all(clients.map((c) => c.call('reconnectAll', { startAt, expect, timeoutMs: 60_000 }, 90_000)));
    const lastDoneAt = Math.max(...rows.map((r) => r.lastDoneAt));
    const resynced = sumOf(rows, 'resynced');
    const missing = sumOf(rows, 'missing');
    const failed = sumOf(rows, 'failed');
    return {
      sockets,
      conversations: conversations.length,
      socketsExpectingReplay: tabs.filter((t) => expect[t.conversationId] !== undefined).length,
      joinedBefore: sumOf(joined, 'connected'),
      setupMs,
      quietMs,
      sentWhileAway: Object.keys(expect).length,
      resynced,
      missing,
      failed,
      replayed: sumOf(rows, 'replayed'),
      errors: mergeCounts(rows, 'errors'),
      allResyncedMs: lastDoneAt - startAt,
      resyncMsP50: Math.max(...rows.map((r) => r.doneMs.p50 ?? 0)),
      resyncMsP99: Math.max(...rows.map((r) => r.doneMs.p99 ?? 0)),
      ok: resynced === sockets && missing === 0 && failed === 0,
    };
  });
}

async function onServer(kind, options, fn) {
  const server = await startServer(kind, options);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- build, machine

function ensureBuild() {
  const newest = (dir) => {
    let t = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && /\.(ts|tsx|json)$/.test(entry.name)) t = Math.max(t, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
    }
    return t;
  };
  const stale = !existsSync(SERVER_ENTRY) || statSync(SERVER_ENTRY).mtimeMs < Math.max(newest(join(ROOT, 'server/src')), newest(join(ROOT, 'protocol/src')));
  if (!stale) return;
  log('building the server bundle (rollup, TARGET=server)');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent', '--environment', 'TARGET:server'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {}
  return {
    nproc: cpus().length,
    cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
    memGB: round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 2 ** 20, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAvg: loadavg().map((x) => round(x, 2)),
    commit,
  };
}

// ---------------------------------------------------------------- docs

function ratio(a, b) {
  return a != null && b ? round(a / b, 2) : null;
}

/** The lines of docs/PERFORMANCE.md from "## The widget" up to "## Checks", as the file has them now, or null. */
function keptSections() {
  try {
    const text = readFileSync(join(ROOT, 'docs/PERFORMANCE.md'), 'utf8');
    const from = text.indexOf('\n## The widget\n');
    const to = text.indexOf('\n## Checks\n');
    return from !== -1 && to > from ? text.slice(from + 1, to + 1).split('\n').slice(0, -1) : null;
  } catch {
    return null;
  }
}

function renderDocs(doc) {
  const { machine: m, results: r } = doc;
  const fmt = (x, unit = '') => (x == null ? '–' : `${typeof x === 'number' ? x.toLocaleString('en-US') : x}${unit}`);
  const kb = (b) => (b == null ? null : round(b / 1024, 1));
  const row = (label, p, b, goal = '', invert = false) => `| ${label} | ${fmt(p)} | ${fmt(b)} | ${fmt(invert ? ratio(b, p) : ratio(p, b))} | ${goal} |`;
  const T = r.throughput;
  const L = r.latency;
  const H = r.latencyHalf;
  const I = r.idle;
  const S = r.storm;
  const D = r.durability;
  const checks = [];
  for (const [name, v] of Object.entries(r)) {
    for (const [kind, x] of Object.entries(v)) if (x && typeof x === 'object' && 'ok' in x) checks.push(`${name}/${kind}: ${x.ok ? 'ok' : 'FAILED'}`);
  }
  const lines = [
    '# Performance',
    '',
    'Generated by `npm run bench` (bench/run.mjs); rerun it to refresh this file. Do not edit the figures by hand.',
    '',
    `- Date: ${doc.date}`,
    `- Machine: ${m.nproc} × ${m.cpu}, ${m.memGB} GB RAM, ${m.platform}`,
    `- Node: ${m.node}; commit ${m.commit ?? 'unknown'} (plus uncommitted work); run took ${round(doc.durationMs / 1000)} s;`,
    `  load average before the run ${m.loadAvg.join(' / ')} (other work on the machine skews the figures)`,
    '- Parley: `node dist/server/main.js`, embedded SQLite (WAL) in a fresh temp dir on the local disk, LOG_LEVEL=warn,',
    '  `SQLITE_SYNCHRONOUS=FULL` (the default) unless said otherwise. One server process.',
    '- Baseline ("bare"): bench/bare-relay.mjs, a Socket.IO server with the same namespaces and events that only',
    '  forwards `message:send` to the agents\' room and acks (in-memory seq and last 100 messages, no validation, no store).',
    '- Load: forked child processes using socket.io-client over WebSocket to 127.0.0.1, on the same 2 cores as the',
    '  server (so the client competes with the server for CPU; the bare relay\'s figures are partly client-bound).',
    '',
    '| figure | Parley | bare relay | Parley/bare | goal |',
    '| --- | ---: | ---: | ---: | --- |',
    row(`throughput, msg/s acked (${T.parley.visitors} visitors × ${T.parley.window} in flight, median of ${T.parley.repeats} × ${T.parley.durationMs / 1000} s)`, T.parley.ackedPerSec, T.bare.ackedPerSec, '≥ 0.25 (then 0.5)'),
    row('throughput, msg/s delivered to the agent', T.parley.deliveredPerSec, T.bare.deliveredPerSec),
    row('throughput: server CPU µs per message', T.parley.serverCpuUsPerMessage, T.bare.serverCpuUsPerMessage),
    row('throughput: server event-loop lag p99 under that load (ms)', T.parley.eventLoopLagP99Ms, T.bare.eventLoopLagP99Ms, 'Parley < 50 ms'),
    row(`latency at ${L.parley.rate} msg/s, send → agent receive p50 (ms)`, L.parley.deliverMs.p50, L.bare.deliverMs.p50),
    row(`latency at ${L.parley.rate} msg/s, p99 (ms)`, L.parley.deliverMs.p99, L.bare.deliverMs.p99, 'Parley < 25 ms'),
    row(`latency at ${L.parley.rate} msg/s, max (ms)`, L.parley.deliverMs.max, L.bare.deliverMs.max),
    row(`latency at ${L.parley.rate} msg/s, send → ack p99 (ms)`, L.parley.ackMs.p99, L.bare.ackMs.p99),
    row(`latency at ${H.parley.rate} msg/s, p50 (ms)`, H.parley.deliverMs.p50, H.bare.deliverMs.p50),
    row(`latency at ${H.parley.rate} msg/s, p99 (ms)`, H.parley.deliverMs.p99, H.bare.deliverMs.p99),
    row(`latency at ${H.parley.rate} msg/s, max (ms)`, H.parley.deliverMs.max, H.bare.deliverMs.max),
    row(`${I.parley.sockets.toLocaleString('en-US')} idle visitor sockets: server RSS before (MB)`, I.parley.rssBeforeMB, I.bare.rssBeforeMB),
    row(`… server RSS after (MB)`, I.parley.rssAfterMB, I.bare.rssAfterMB),
    row('… KB per connection', kb(I.parley.bytesPerConnection), kb(I.bare.bytesPerConnection), 'Parley < 20 KB'),
    row('… connects + joins per second', I.parley.connectsPerSec, I.bare.connectsPerSec),
    row(`reconnect storm: ${S.parley.sockets.toLocaleString('en-US')} sockets (${S.parley.conversations} visitors × ${S.parley.sockets / S.parley.conversations} tabs) all resynced (ms)`, S.parley.allResyncedMs, S.bare.allResyncedMs),
    row('… resync p50 (ms)', S.parley.resyncMsP50, S.bare.resyncMsP50),
    row(`… sockets missing a message (${S.parley.sentWhileAway} sent while away, ${S.parley.socketsExpectingReplay} sockets must replay one)`, S.parley.missing, S.bare.missing),
    '',
    `Throughput windows, msg/s acked: Parley ${T.parley.runsAckedPerSec.join(' / ')}; bare ${T.bare.runsAckedPerSec.join(' / ')}.`,
    '',
    '### Durability cost (Parley only)',
    '',
    '| SQLITE_SYNCHRONOUS | msg/s acked | ack p50 (ms) | ack p99 (ms) | server CPU µs/msg |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...[
      ['FULL, group commit (the default: fsync of the WAL at every commit, one commit per batch)', D.full],
      ['NORMAL, group commit (fsync at checkpoints only; a power cut may lose the last commits)', D.normal],
      ['FULL, one transaction per message (GROUP_COMMIT=off)', D.fullSingle],
      ['NORMAL, one transaction per message (GROUP_COMMIT=off)', D.normalSingle],
    ]
      .filter(([, x]) => x)
      .map(([label, x]) => `| ${label} | ${fmt(x.ackedPerSec)} | ${fmt(x.ackMsP50)} | ${fmt(x.ackMsP99)} | ${fmt(x.serverCpuUsPerMessage)} |`),
    '',
    `Windows, msg/s: FULL ${D.full.runsAckedPerSec.join(' / ')}; NORMAL ${D.normal.runsAckedPerSec.join(' / ')}` +
      (D.fullSingle ? `; FULL single ${D.fullSingle.runsAckedPerSec.join(' / ')}; NORMAL single ${D.normalSingle.runsAckedPerSec.join(' / ')}.` : '.'),
    `FULL/NORMAL with group commit = ${fmt(ratio(D.full.ackedPerSec, D.normal.ackedPerSec))}` +
      (D.fullSingle ? `; group commit gains ×${fmt(ratio(D.full.ackedPerSec, D.fullSingle.ackedPerSec))} under FULL and ×${fmt(ratio(D.normal.ackedPerSec, D.normalSingle.ackedPerSec))} under NORMAL.` : '.'),
    'Every variant acks a message only after the transaction holding it committed.',
    '',
    // the widget's and the console's sections come from their own measurements: kept as the file has them
    ...(keptSections() ?? [
      '## The widget',
      '',
      'Weight is checked on every `npm test` by `node scripts/size.mjs` (loader ≤ 2,000 B, everything loaded when the',
      'chat is open ≤ 25,000 B, as served: Brotli quality 11, precompressed at build; gzip level 9 printed beside it). What',
      'the widget costs a host page in Chromium (main-thread time, time to the launcher, click to a usable survey) is',
      'measured by `npm run bench:widget` and written to [WIDGET-PERFORMANCE.md](WIDGET-PERFORMANCE.md).',
      '',
      '## The console at 100,000 conversations',
      '',
      'Inbox pages, counts, search and the visitor ack while agents browse, on a store of 100,000 conversations and',
      '1,000,000 messages: `npm run bench:inbox`, figures in [CONSOLE-PERFORMANCE.md](CONSOLE-PERFORMANCE.md).',
      '',
    ]),
    '## Checks',
    '',
    'Every scenario verifies its own counts (delivered == acked == sent, no error acks, every socket resynced with',
    `nothing missing): ${checks.join('; ')}.`,
    '',
    '## Notes',
    '',
    ...doc.notes.map((s) => `- ${s}`),
    '',
    '## Where the Parley server spends its time',
    '',
    'A snapshot, not regenerated by each run: `BENCH_CPU_PROF=/tmp/prof BENCH_ONLY=throughput BENCH_SCALE=0.5 npm run bench`,',
    'then `node bench/profile-summary.mjs /tmp/prof/<file>.cpuprofile`, this machine, FULL, group commit on, auto-replies and',
    'routing on. "Before": 2026-11-22 at commit aa13ae2 (Kysely on the hot path, 19 s sampled); "now": 2026-12-05 with the',
    'message path on prepared better-sqlite3 statements (22 s sampled, 2,749 msg/s in that run). Native SQLite work, COMMIT',
    'and its fsync included, is counted in the JS frame that calls it (before: Kysely\'s `SqliteDriver.executeQuery`; now:',
    '`SqliteMessageAppend`\'s statements and better-sqlite3\'s `sqliteTransaction` for the COMMIT).',
    '',
    '| share of server time | before | now |',
    '| --- | ---: | ---: |',
    '| SQLite statements of the message path | ~27% (with COMMIT) | ~31% |',
    '| COMMIT and its fsync (`sqliteTransaction`) | (in the row above) | ~16% |',
    '| Kysely query building/compiling, its connection mutex | ~10% (profile of the issue: 16%) | ~2.5% |',
    '| garbage collection | ~15% (profile of the issue: 25%) | ~7% |',
    '| socket writes (`writev`) and Socket.IO encoding | ~8% | ~12% |',
    '| Parley\'s own code (validation, rules, mapping) | ~9% | ~5% |',
    '| idle (also time the 2 cores were busy with the load generators) | ~12% | ~13% |',
    '',
    'Per visitor message the ack path now runs 3 prepared statements inside the shared batch transaction (`SELECT` by',
    'client id, `UPDATE … RETURNING *` that numbers the message and checks ownership, `INSERT`;',
    'server/src/services/conversations/sqlite-message-append.ts behind the `MessageAppend` port, Kysely\'s version kept for',
    'PostgreSQL), reads the contact for the inbox summary from a cache dropped on every contact write, and writes 3 frames',
    '(ack; `message:new` to the agents who opened it and to the visitor\'s other tabs; `conversation:upsert` to every',
    'agent). A batch is at most 128 messages and the writer yields to the event loop between batches: the event-loop lag',
    'p99 under the throughput load was 261 ms in a run before that change and 54–158 ms in the runs after it (goal 50 ms,',
    'not met). Full `npm run bench` runs of 2026-12-05 on this shared VM gave 0.20×, 0.26× and 0.15× the relay (Parley',
    '248–318 µs of server CPU per message, the relay 35–52 µs; before these changes, in a shortened run the same day:',
    '0.10×, 546 µs against 36 µs). What the server spends is now mostly SQLite itself: the',
    'UPDATE rewrites the conversation\'s entries in the 7 inbox indexes that carry `updated_at`, and the INSERT feeds 5',
    'indexes and the FTS5 search index through a trigger (`prefix=\'2 3\'`). Measured apart (200 messages a transaction,',
    '50 conversations, `synchronous=NORMAL`), SQLite takes ~115 µs per message, of which the search trigger ~50 µs;',
    'dropping the 7 inbox indexes changed nothing measurable. What is',
    'left to win: index the search in batches off the ack path (the search owner\'s call: search would then lag by a',
    'moment), one UPDATE per conversation per batch instead of one per message, `RETURNING` only the summary\'s columns',
    '(the listeners take the whole row today), and the SQLite work on a worker thread so that its fsync no longer',
    'holds the event loop.',
    '',
    '## Scenarios',
    '',
    '1. **Throughput**: visitors (each its own conversation) send as fast as acks allow, 10 in flight each; one agent',
    '   socket has opened every conversation and counts `message:new`. After a 1 s warm-up, 3 fixed windows on one server;',
    '   msg/s counts acks inside a window and the median window is reported; every window then checks that the agent',
    '   received exactly as many messages as were acked.',
    '2. **Latency**: open loop, 1,000 msg/s (and again 500 msg/s) in total round-robin over 50 visitors, 10 s after a 1 s warm-up. Latency is',
    '   from the *scheduled* send time to the agent\'s `message:new` (visitors and agent in one process, one clock), so',
    '   a stalled server shows up as latency rather than as a lower rate.',
    '3. **Idle sockets**: visitor sockets connected and joined to their conversation (100 tokens, many tabs each), spread',
    '   over 4 client processes; server VmRSS from /proc before and 3 s after; no GC is forced, so this is an upper bound.',
    '4. **Reconnect storm**: 500 visitors (conversations) with 4 tabs (sockets) each; all sockets are dropped, the agent sends one message',
    '   into some conversations, then every socket reconnects at the same instant and re-joins with its last seq; done',
    '   when every join ack is in and holds the message it missed.',
    '5. **Durability**: scenario 1 with 5 s windows (median of 3), on fresh servers with `SQLITE_SYNCHRONOUS=FULL` and `NORMAL`.',
    '',
    'Full JSON of the last run: `npm run bench > bench-result.json`.',
    '',
  ];
  return lines.join('\n');
}

function notesFor(r) {
  const notes = [];
  const T = r.throughput;
  if (T?.parley && T?.bare) {
    notes.push(
      `Throughput: Parley acks ${T.parley.ackedPerSec} msg/s, ${ratio(T.parley.ackedPerSec, T.bare.ackedPerSec)}× the bare relay ` +
        `(goal ≥ 0.25, then 0.5). The Parley server used ${T.parley.serverCpuPct}% of a core at ${T.parley.serverCpuUsPerMessage} µs CPU per message, ` +
        `the relay ${T.bare.serverCpuUsPerMessage} µs; the server's event-loop lag p99 under that load was ${T.parley.eventLoopLagP99Ms} ms ` +
        '(perf_hooks.monitorEventLoopDelay, read from /metrics). In its ack path each Parley message runs 3 prepared better-sqlite3 ' +
        'statements (dedupe lookup, UPDATE … RETURNING that also checks ownership, INSERT; server/src/services/conversations/' +
        'sqlite-message-append.ts) inside a transaction shared with the other messages of its batch (group commit); the contact ' +
        'for the inbox summary comes from a cache dropped on every contact write; then the auto-reply listener runs after the ack. ' +
        '3 frames go out (2 for the relay): the ack, `message:new` to the agents who opened the conversation and ' +
        '`conversation:upsert` to the inbox; the sending socket, connected with `echo: false`, gets its message only in the ack ' +
        '(other tabs of the visitor still get `message:new`). The relay does no validation, storage or rules, so the ratio is the price of those. ' +
        (ratio(T.parley.ackedPerSec, T.bare.ackedPerSec) >= 0.25
          ? 'The 0.25× goal is met in this run; the windows swing by ±30% on this shared 2-core VM, so a run can fall under it.'
          : 'The 0.25× goal is not met in this run: see "Where the Parley server spends its time" for what the server does per message.'),
    );
  }
  const L = r.latency;
  if (L?.parley) {
    notes.push(
      `Latency at ${L.parley.rate} msg/s: Parley p99 ${L.parley.deliverMs.p99} ms (goal < 25 ms), bare ${L.bare?.deliverMs.p99} ms; ` +
        `server CPU ${L.parley.serverCpuPct}% vs ${L.bare?.serverCpuPct}%. The largest delays in the client's own scheduler were ` +
        `${L.parley.maxSchedulerLagMs} / ${L.bare?.maxSchedulerLagMs} ms, which is included in the figures.`,
    );
  }
  const H = r.latencyHalf;
  if (L?.parley && H?.parley && L.parley.deliverMs.p99 > 100) {
    notes.push(
      `At ${L.parley.rate} msg/s Parley delivered ${L.parley.achievedRate} msg/s over the run (the server's closed-loop capacity here is ` +
        `~${r.throughput?.parley?.ackedPerSec ?? '?'} msg/s), so the queue grows and p99 is dominated by queueing; it swings from tens of ms ` +
        `to seconds between runs with small changes in capacity or other load on the 2 cores. At ${H.parley.rate} msg/s: p99 ${H.parley.deliverMs.p99} ms.`,
    );
  }
  const I = r.idle;
  if (I?.parley) {
    notes.push(
      `Idle sockets: ${round(I.parley.bytesPerConnection / 1024, 1)} KB per connection for Parley, ${round(I.bare?.bytesPerConnection / 1024, 1)} KB ` +
        'for the relay: the cost is Socket.IO/engine.io/ws per socket plus the handshake identity kept in `socket.data`; ' +
        'RSS also includes heap not yet collected.',
    );
  }
  const S = r.storm;
  if (S?.parley) {
    notes.push(
      `Reconnect storm: ${S.parley.resynced}/${S.parley.sockets} sockets resynced in ${S.parley.allResyncedMs} ms (bare ${S.bare?.allResyncedMs} ms), ` +
        `${S.parley.missing} missing. Each Parley reconnect costs a token lookup (SHA-256 + SELECT) in the handshake and ` +
        'an ownership check plus a messages query in the join. The bare figure is the floor the load generators set ' +
        '(2 processes opening 2,000 WebSockets at once on the same 2 cores).',
    );
  }
  const D = r.durability;
  if (D?.full && D?.normal) {
    notes.push(
      `Durability: FULL ${D.full.ackedPerSec} msg/s vs NORMAL ${D.normal.ackedPerSec} msg/s. better-sqlite3 is synchronous, so ` +
        'the fsync of each commit blocks the event loop; group commit amortises it over every message that arrived meanwhile' +
        (D.fullSingle ? ` (without it: FULL ${D.fullSingle.ackedPerSec}, NORMAL ${D.normalSingle.ackedPerSec} msg/s)` : '') +
        '. The windows vary by ±20% between runs on this shared VM.',
    );
  }
  return notes;
}

// ---------------------------------------------------------------- main

async function main() {
  if (process.env.BENCH_RENDER) {
    // re-render docs/PERFORMANCE.md from a saved JSON document of a full run
    const doc = JSON.parse(readFileSync(resolve(process.env.BENCH_RENDER), 'utf8'));
    doc.notes = notesFor(doc.results);
    writeFileSync(join(ROOT, 'docs/PERFORMANCE.md'), renderDocs(doc));
    log('re-rendered docs/PERFORMANCE.md');
    return 0;
  }
  ensureBuild();
  const m = machine();
  log(`machine: ${m.nproc} × ${m.cpu}, node ${m.node}; scale ${scale}${only ? `, only ${[...only].join(',')}` : ''}`);
  const results = {};
  const want = (name) => !only || only.has(name);

  if (want('throughput')) {
    results.throughput = {};
    for (const kind of ['parley', 'bare']) {
      log(`throughput: ${kind}`);
      const x = await onServer(kind, {}, (s) => throughput(s, PLAN.throughput));
      results.throughput[kind] = x;
      log(`  ${kind}: ${x.ackedPerSec} msg/s acked, ${x.deliveredPerSec} delivered, acked=${x.acked} delivered=${x.delivered} failed=${x.failed} cpu=${x.serverCpuPct}%`);
    }
    results.throughput.ratio = ratio(results.throughput.parley.ackedPerSec, results.throughput.bare.ackedPerSec);
    process.stderr.write(`${JSON.stringify({ scenario: 'throughput', ...results.throughput })}\n`);
  }
  if (want('latency')) {
    results.latency = {};
    for (const kind of ['parley', 'bare']) {
      log(`latency: ${kind}`);
      const x = await onServer(kind, {}, (s) => latency(s, PLAN.latency));
      results.latency[kind] = x;
      log(`  ${kind}: p50 ${x.deliverMs.p50} ms, p99 ${x.deliverMs.p99} ms, max ${x.deliverMs.max} ms; delivered ${x.delivered}/${x.scheduled}`);
    }
    process.stderr.write(`${JSON.stringify({ scenario: 'latency', ...results.latency })}\n`);
  }
  if (want('latency')) {
    // a second point below Parley's saturation, to show where the curve bends
    results.latencyHalf = {};
    for (const kind of ['parley', 'bare']) {
      log(`latency at ${PLAN.latency.rate / 2} msg/s: ${kind}`);
      const x = await onServer(kind, {}, (s) => latency(s, { ...PLAN.latency, rate: PLAN.latency.rate / 2 }));
      results.latencyHalf[kind] = x;
      log(`  ${kind}: p50 ${x.deliverMs.p50} ms, p99 ${x.deliverMs.p99} ms, max ${x.deliverMs.max} ms; delivered ${x.delivered}/${x.scheduled}`);
    }
    process.stderr.write(`${JSON.stringify({ scenario: 'latencyHalf', ...results.latencyHalf })}\n`);
  }
  if (want('idle')) {
    results.idle = {};
    for (const kind of ['parley', 'bare']) {
      log(`idle sockets: ${kind}`);
      const x = await onServer(kind, {}, (s) => idle(s, PLAN.idle));
      results.idle[kind] = x;
      log(`  ${kind}: ${x.connected}/${x.sockets} connected in ${x.connectMs} ms, RSS ${x.rssBeforeMB} -> ${x.rssAfterMB} MB, ${round(x.bytesPerConnection / 1024, 1)} KB/conn`);
    }
    process.stderr.write(`${JSON.stringify({ scenario: 'idle', ...results.idle })}\n`);
  }
  if (want('storm')) {
    results.storm = {};
    for (const kind of ['parley', 'bare']) {
      log(`reconnect storm: ${kind}`);
      const x = await onServer(kind, {}, (s) => storm(s, PLAN.storm));
      results.storm[kind] = x;
      log(`  ${kind}: ${x.resynced}/${x.sockets} resynced in ${x.allResyncedMs} ms, missing ${x.missing}, failed ${x.failed}`);
    }
    process.stderr.write(`${JSON.stringify({ scenario: 'storm', ...results.storm })}\n`);
  }
  if (want('durability')) {
    results.durability = {};
    const variants = [
      ['full', 'FULL', true],
      ['normal', 'NORMAL', true],
      ['fullSingle', 'FULL', false],
      ['normalSingle', 'NORMAL', false],
    ];
    for (const [key, synchronous, groupCommit] of variants) {
      log(`durability: SQLITE_SYNCHRONOUS=${synchronous}, group commit ${groupCommit ? 'on' : 'off'}`);
      const x = await onServer('parley', { synchronous, groupCommit }, (s) => throughput(s, PLAN.durability));
      results.durability[key] = { synchronous, groupCommit, ...x };
      log(`  ${x.ackedPerSec} msg/s acked`);
    }
    process.stderr.write(`${JSON.stringify({ scenario: 'durability', ...results.durability })}\n`);
  }

  const doc = {
    date: new Date().toISOString(),
    durationMs: Date.now() - RUN_STARTED,
    machine: m,
    scale,
    plan: PLAN,
    results,
    notes: notesFor(results),
    ok: Object.values(results).every((v) => Object.values(v).every((x) => !(x && typeof x === 'object' && 'ok' in x) || x.ok)),
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  if (full && !process.env.BENCH_NO_DOCS) {
    writeFileSync(join(ROOT, 'docs/PERFORMANCE.md'), renderDocs(doc));
    log('wrote docs/PERFORMANCE.md');
  } else {
    log('partial run: docs/PERFORMANCE.md left as it is');
  }
  log(doc.ok ? 'all checks passed' : 'SOME CHECKS FAILED (see "ok": false above)');
  return doc.ok ? 0 : 1;
}

main()
  .then(async (code) => {
    killAll();
    process.exit(code);
  })
  .catch((error) => {
    log(`failed: ${error?.stack ?? error}`);
    killAll();
    process.exit(1);
  });
