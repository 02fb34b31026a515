// `npm run bench:inbox`: the console at 100,000 conversations.
//
// Builds a store of CONVERSATIONS conversations (default 100,000) with MESSAGES_PER messages each
// (default 10: 1,000,000 messages) in a fresh temp dir — the real migrations run first, by starting
// the built server once — then starts the real server on it (node dist/server/main.js) and
// measures, with real socket.io clients signed in as agents:
//   - each inbox view's first page and a deep page (keyset cursor), the counts, and search
//     (a contact name, an order ID, a word of a message), p50/p95 over REPEAT requests;
//   - a visitor's message ack p50/p99 at a steady rate with nobody browsing, then the same while
//     three agents browse the inbox and search in a loop (the baseline is the same server, idle);
//   - the longest stall of the event loop seen from outside: /healthz probed every 10 ms.
// Prints one JSON document on stdout; progress on stderr. Never part of `npm test`.
//
// env: BENCH_CONVERSATIONS=100000  BENCH_MESSAGES_PER=10  BENCH_REPEAT=40  BENCH_ACK_SECONDS=10
//      BENCH_DATA_DIR=<dir>  keep the seeded store there and reuse it on the next run (not deleted)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID, createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { io } from 'socket.io-client';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = join(ROOT, 'dist/server/main.js');
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const MESSAGES_PER = Number(process.env.BENCH_MESSAGES_PER ?? 10);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 40);
const ACK_SECONDS = Number(process.env.BENCH_ACK_SECONDS ?? 10);
const ADMIN = { email: 'bench-admin@example.com', password: 'bench password 1234' };
const log = (...a) => console.error('[inbox-bench]', ...a);

function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startServer(dataDir) {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('server did not start');
}

function stop(child) {
  return new Promise((res) => {
    child.once('exit', res);
    child.kill('SIGTERM');
  });
}

const WORDS = 'order parcel refund invoice delivery tracking payment card address tea green oolong matcha box gift discount coupon late broken return exchange size colour account password login shipping courier warehouse customs'.split(' ');
const NAMES = 'Ana Bruno Chen Dana Emil Farah Goran Hana Ivan Julia Kenji Lena Mateo Nadia Omar Paula Quinn Rosa Sven Tara Uma Viktor Wei Xenia Yusuf Zoe'.split(' ');
const SURNAMES = 'García Smith Müller Rossi Kowalski Ivanova Tanaka Silva Dubois Novak Jensen Costa Haddad Petrov Okafor Lind'.split(' ');

/** Writes the conversations, their contacts and messages straight into the migrated store. */
function seed(dataDir) {
  const db = new Database(join(dataDir, 'parley.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const agents = Array.from({ length: 10 }, (_, i) => ({ id: randomUUID(), email: `seed-agent-${i}@example.com`, name: `Seed Agent ${i}` }));
  const now = Date.now();
  const iso = (t) => new Date(t).toISOString();
  const insAgent = db.prepare(`INSERT INTO agents (id, email, name, role, password_hash, created_at, updated_at, presence) VALUES (?, ?, ?, 'agent', 'x', ?, ?, 'offline')`);
  const insContact = db.prepare(`INSERT INTO contacts (id, site_id, token_hash, name, email, phone, language, created_at, updated_at) VALUES (?, 'demo', ?, ?, ?, ?, 'en', ?, ?)`);
  const insConv = db.prepare(`INSERT INTO conversations (id, site_id, contact_id, status, inquiry_type, assignee_id, answers, consent, page_url, last_seq, last_message_text, last_message_author, last_message_at, created_at, updated_at, closed_at, team_id, priority, queued_at, labels, last_visitor_seq, awaiting, last_message_author_id, last_message_author_name)
    VALUES (?, 'demo', ?, ?, ?, ?, ?, NULL, 'https://shop.example/', ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`);
  const insMsg = db.prepare(`INSERT INTO messages (id, conversation_id, seq, client_id, author_type, author_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insLabel = db.prepare(`INSERT INTO conversation_labels (conversation_id, label, created_at) VALUES (?, ?, ?)`);
  const insDoc = db.prepare(`INSERT INTO conversation_search (rowid, body) VALUES (?, ?)`);
  const teams = ['billing', 'shipping', 'technical', 'spanish'];
  const types = ['billing', 'shipping', 'technical', 'other'];
  let rnd = 42;
  const random = () => ((rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const run = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const contactId = randomUUID();
      const id = randomUUID();
      const name = `${pick(NAMES)} ${pick(SURNAMES)} ${i}`;
      const email = `customer${i}@example.com`;
      const phone = `+44 20 ${String(7000 + (i % 3000)).padStart(4, '0')} ${String(i).padStart(4, '0').slice(-4)}`;
      const start = now - (CONVERSATIONS - i) * 60_000;
      const open = random() < 0.03;
      const assignee = random() < 0.8 ? pick(agents).id : null;
      const team = pick(teams);
      const order = `NW-${String(10000 + i)}`;
      const answers = JSON.stringify([
        { key: 'name', label: 'Name', value: name },
        { key: 'email', label: 'Email', value: email },
        { key: 'orderId', label: 'Order ID', value: order },
        { key: 'inquiryType', label: 'Inquiry type', value: pick(types) },
      ]);
      insContact.run(contactId, createHash('sha256').update(id).digest('hex'), name, email, phone, iso(start), iso(start));
      let lastVisitor = 0;
      let lastAuthor = 'visitor';
      let lastText = '';
      let at = start;
      const rows = [];
      for (let s = 1; s <= MESSAGES_PER; s++) {
        const visitor = s % 2 === 1;
        at += 20_000;
        lastText = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${s === 1 ? order : pick(WORDS)} ${pick(WORDS)}`;
        lastAuthor = visitor ? 'visitor' : 'agent';
        if (visitor) lastVisitor = s;
        rows.push([randomUUID(), id, s, randomUUID(), lastAuthor, visitor ? contactId : assignee, visitor ? name : 'Seed Agent', lastText, iso(at)]);
      }
      const labels = random() < 0.1 ? ['Paid'] : random() < 0.05 ? ['Pending payment'] : [];
      const info = insConv.run(id, contactId, open ? 'open' : 'closed', pick(types), assignee, answers, MESSAGES_PER, lastText, lastAuthor, iso(at), iso(start), iso(at), open ? null : iso(at), team, iso(start), JSON.stringify(labels), lastVisitor, open ? (lastAuthor === 'visitor' ? 'agent' : 'visitor') : null, null, lastAuthor === 'visitor' ? name : 'Seed Agent');
      for (const r of rows) insMsg.run(...r);
      for (const l of labels) insLabel.run(id, l, iso(start));
      insDoc.run(info.lastInsertRowid, `${name} \n ${email} \n ${phone} \n ${phone.replace(/\D/g, '')} \n ${order}`);
    }
  });
  for (const a of agents) insAgent.run(a.id, a.email, a.name, iso(now), iso(now));
  const t0 = Date.now();
  for (let i = 0; i < CONVERSATIONS; i += 5000) {
    run(i, Math.min(CONVERSATIONS, i + 5000));
    if (i % 20000 === 0) log(`seeded ${i} conversations (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  const counts = db.prepare(`SELECT (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM conversations WHERE status = 'open') AS open`).get();
  db.close();
  return { ...counts, seedSeconds: (Date.now() - t0) / 1000 };
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(2)) : null;
};

async function login(url) {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

async function agentSocket(url, cookie) {
  const s = io(`${url}/agent`, { extraHeaders: { cookie }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise((res, rej) => {
    s.once('connect', res);
    s.once('connect_error', rej);
  });
  return s;
}

async function timed(socket, event, payload) {
  const t = performance.now();
  const ack = await socket.timeout(30_000).emitWithAck(event, payload);
  const ms = performance.now() - t;
  if (!ack.ok) throw new Error(`${event}: ${ack.message}`);
  return { ms, data: ack.data };
}

async function measure(socket, event, payload) {
  const times = [];
  let data;
  for (let i = 0; i < REPEAT; i++) {
    const r = await timed(socket, event, payload);
    times.push(r.ms);
    data = r.data;
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: percentile(times, 100), data };
}

/** A visitor sending at a steady rate; returns ack latencies. */
async function visitorLoad(url) {
  const res = await fetch(`${url}/api/v1/sites/demo/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answers: { name: 'Bench Visitor', email: 'bench.visitor@example.com', inquiryType: 'billing', orderId: 'NW-99999' }, consent: true }),
  });
  const { token, conversationId } = await res.json();
  const s = io(`${url}/visitor`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise((r, j) => {
    s.once('connect', r);
    s.once('connect_error', j);
  });
  await s.timeout(10_000).emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
  return async (seconds, perSecond = 20) => {
    const acks = [];
    const end = Date.now() + seconds * 1000;
    const pending = [];
    while (Date.now() < end) {
      const t = performance.now();
      pending.push(s.timeout(30_000).emitWithAck('message:send', { conversationId, clientId: randomUUID(), text: 'Is my order on its way?' }).then(() => acks.push(performance.now() - t)));
      await new Promise((r) => setTimeout(r, 1000 / perSecond));
    }
    await Promise.all(pending);
    return { sent: acks.length, p50: percentile(acks, 50), p99: percentile(acks, 99), max: percentile(acks, 100) };
  };
}

/** Probes /healthz every 10 ms: the longest answer approximates the longest event-loop stall. */
function stallProbe(url) {
  let stop = false;
  const times = [];
  const done = (async () => {
    while (!stop) {
      const t = performance.now();
      await fetch(`${url}/healthz`).catch(() => {});
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return async () => {
    stop = true;
    await done;
    return { probes: times.length, p99: percentile(times, 99), max: percentile(times, 100) };
  };
}

async function main() {
  const kept = process.env.BENCH_DATA_DIR;
  const dataDir = kept ? resolve(kept) : mkdtempSync(join(tmpdir(), 'parley-inbox-bench-'));
  try {
    let store = { reused: dataDir };
    if (!kept || !existsSync(join(dataDir, 'parley.sqlite'))) {
      if (kept) mkdirSync(dataDir, { recursive: true });
      log(`migrating a fresh store in ${dataDir}`);
      const first = await startServer(dataDir);
      await stop(first.child);
      log(`seeding ${CONVERSATIONS} conversations × ${MESSAGES_PER} messages`);
      store = seed(dataDir);
      log(`seeded: ${JSON.stringify(store)}`);
    }
    const { child, url } = await startServer(dataDir);
    const cookie = await login(url);
    const agents = await Promise.all([0, 1, 2, 3].map(() => agentSocket(url, cookie)));
    const a = agents[0];

    const views = {};
    for (const [name, q] of Object.entries({
      'all/open': { view: 'all', status: 'open', limit: 50 },
      'all/all': { view: 'all', status: 'all', limit: 50 },
      'all/closed': { view: 'all', status: 'closed', limit: 50 },
      'all/pending': { view: 'all', status: 'pending', limit: 50 },
      'mine/open': { view: 'mine', status: 'open', limit: 50 },
      'unassigned/all': { view: 'unassigned', status: 'all', limit: 50 },
      'team shipping/all': { view: 'all', status: 'all', teamId: 'shipping', limit: 50 },
      'label Paid/all': { view: 'all', status: 'all', label: 'Paid', limit: 50 },
    })) {
      const r = await measure(a, 'inbox:list', q);
      views[name] = { p50: r.p50, p95: r.p95, max: r.max, rows: r.data.conversations.length };
      log(name, views[name]);
    }
    // a deep page: follow the cursor 20 pages into All
    let cursor = null;
    for (let i = 0; i < 20; i++) cursor = (await timed(a, 'inbox:list', { view: 'all', status: 'all', limit: 50, ...(cursor ? { cursor } : {}) })).data.nextCursor;
    const deep = await measure(a, 'inbox:list', { view: 'all', status: 'all', limit: 50, cursor });
    views['all/all page 21'] = { p50: deep.p50, p95: deep.p95, max: deep.max, rows: deep.data.conversations.length };
    const counts = await measure(a, 'inbox:counts', {});
    const search = {};
    for (const [name, q] of Object.entries({ 'contact name': 'Julia Tanaka', 'order ID': 'NW-57321', email: 'customer4242@example.com', 'message word': 'matcha', 'two words': 'refund courier' })) {
      const r = await measure(a, 'inbox:search', { q, limit: 20 });
      search[name] = { p50: r.p50, p95: r.p95, max: r.max, found: r.data.conversations.length };
      log('search', name, search[name]);
    }
    const latest = await measure(a, 'conversation:latest', { conversationId: views['all/all'] && (await timed(a, 'inbox:list', { limit: 1 })).data.conversations[0].id, limit: 50 });

    const send = await visitorLoad(url);
    // warm up: the first writes after opening a large store pay for a cold page cache; measure after them
    await send(2);
    log('ack with nobody browsing');
    let probe = stallProbe(url);
    const idle = await send(ACK_SECONDS);
    const idleStall = await probe();
    log('ack while three agents browse and search');
    let browsing = true;
    const queries = [
      ['inbox:list', { view: 'all', status: 'all', limit: 50 }],
      ['inbox:list', { view: 'all', status: 'open', limit: 50 }],
      ['inbox:counts', {}],
      ['inbox:search', { q: 'refund', limit: 20 }],
      ['inbox:list', { view: 'unassigned', status: 'all', limit: 50 }],
      ['inbox:search', { q: 'NW-4', limit: 20 }],
    ];
    let browsed = 0;
    const browsers = agents.slice(1).map(async (s, k) => {
      let i = k;
      while (browsing) {
        const [e, p] = queries[i++ % queries.length];
        await timed(s, e, p);
        browsed++;
      }
    });
    probe = stallProbe(url);
    const busy = await send(ACK_SECONDS);
    const busyStall = await probe();
    browsing = false;
    await Promise.all(browsers);

    for (const s of agents) s.disconnect();
    await stop(child);
    const result = {
      store,
      repeat: REPEAT,
      inbox: views,
      counts: { p50: counts.p50, p95: counts.p95, max: counts.max },
      search,
      openLatestPage: { p50: latest.p50, p95: latest.p95 },
      visitorAck: { nobodyBrowsing: idle, agentsBrowsing: { ...busy, agentRequests: browsed } },
      healthzStall: { nobodyBrowsing: idleStall, agentsBrowsing: busyStall },
    };
    console.log(JSON.stringify(result, null, 2));
    if (!process.env.BENCH_NO_DOCS && !kept) writeFileSync(join(ROOT, 'docs/CONSOLE-PERFORMANCE.md'), render(result));
  } finally {
    if (!kept) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The figures as docs/CONSOLE-PERFORMANCE.md shows them. */
function render(r) {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    // not a checkout
  }
  const row = (name, x, extra) => `| ${name} | ${x.p50} | ${x.p95} | ${x.max} | ${extra} |`;
  return [
    '# The console at 100,000 conversations',
    '',
    'Generated by `npm run bench:inbox` (bench/inbox-scale.mjs); rerun it to refresh this file. Do not edit the figures by hand.',
    '',
    `- Date: ${new Date().toISOString()}; commit ${commit}; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; Node ${process.version};`,
    `  load average at the end ${loadavg().map((n) => n.toFixed(2)).join(' / ')} (other work on the machine skews the figures).`,
    `- Store: ${r.store.conversations ?? '?'} conversations (${r.store.open ?? '?'} open), ${r.store.messages ?? '?'} messages, 10 agents, labels on ~15%,`,
    '  written straight into the embedded SQLite store after the real migrations, then `ANALYZE`; the real server',
    '  (`node dist/server/main.js`, `SQLITE_SYNCHRONOUS=FULL`) on it, driven by socket.io-client over WebSocket on the same 2 cores.',
    `- Each request is timed from emit to ack, ${r.repeat} times in a row; milliseconds.`,
    '',
    '## Inbox pages (50 rows) and counts',
    '',
    '| request | p50 | p95 | max | rows |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(r.inbox).map(([k, x]) => row(`inbox:list ${k}`, x, x.rows)),
    row('inbox:counts (every view and team)', r.counts, ''),
    row('conversation:latest (detail and last 50 messages)', { ...r.openLatestPage, max: '' }, ''),
    '',
    '## Search',
    '',
    '| query | p50 | p95 | max | found |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(r.search).map(([k, x]) => row(k, x, x.found)),
    '',
    '## A visitor while agents browse',
    '',
    'One visitor sends 20 messages a second (after 2 s of the same to warm up); the ack is timed from emit. "Browsing" is three agents each looping, with no',
    'pause, over the All and Open pages, the counts, Unassigned and two searches (a stress far above what people do).',
    'The /healthz probe (every 10 ms) shows the longest the event loop kept a request waiting.',
    '',
    '| | acks | ack p50 | ack p99 | ack max | /healthz p99 | /healthz max | agent requests |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| nobody browsing | ${r.visitorAck.nobodyBrowsing.sent} | ${r.visitorAck.nobodyBrowsing.p50} | ${r.visitorAck.nobodyBrowsing.p99} | ${r.visitorAck.nobodyBrowsing.max} | ${r.healthzStall.nobodyBrowsing.p99} | ${r.healthzStall.nobodyBrowsing.max} | 0 |`,
    `| three agents browsing | ${r.visitorAck.agentsBrowsing.sent} | ${r.visitorAck.agentsBrowsing.p50} | ${r.visitorAck.agentsBrowsing.p99} | ${r.visitorAck.agentsBrowsing.max} | ${r.healthzStall.agentsBrowsing.p99} | ${r.healthzStall.agentsBrowsing.max} | ${r.visitorAck.agentsBrowsing.agentRequests} |`,
    '',
    'Every inbox view is read from its own index in activity order (`test/integration/inbox-plans.test.ts` holds each',
    'plan to that: no table scan, no temporary sort). Search reads at most the 400 latest hits of each FTS5 index.',
    '',
  ].join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
