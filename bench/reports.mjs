// `npm run bench:reports`: every report over 30 days of a year-long store.
//
// Builds a store of CONVERSATIONS conversations (default 100,000) spread evenly over the past year,
// with MESSAGES_PER messages each (default 10: 1,000,000 messages; visitor, agent and bot, welcome
// and rule auto-replies among them), their routing events (closed, some reopened and closed again,
// some by a follow-up), queue and assignment times, ratings and sent follow-ups, in a fresh temp dir
// (the real migrations run first, through the server's own openStore). Then runs each report over
// the last 30 days, ungrouped and grouped by team and by day, REPEAT times, through ReportService
// (the code behind GET /api/v1/reports/<name>) on the same store, and prints one JSON document with
// p50 and max per report. Progress goes to stderr. Never part of `npm test`. Runs with tsx, as the
// server's TypeScript is imported: `node --import tsx bench/reports.mjs`.
//
// env: BENCH_CONVERSATIONS=100000  BENCH_MESSAGES_PER=10  BENCH_REPEAT=5
//      BENCH_DATA_DIR=<dir>  keep the seeded store there and reuse it on the next run (not deleted)
//
// The store is seeded here rather than by bench/inbox-scale.mjs's seed(): that one is not exported
// (the module runs its benchmark on import) and spreads its conversations a minute apart (69 days)
// without the routing events, queue times, ratings and bot messages reports read.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../server/src/store/db.ts';
import { ReportService } from '../server/src/services/reports/index.ts';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const MESSAGES_PER = Number(process.env.BENCH_MESSAGES_PER ?? 10);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const YEAR_MS = 365 * 86_400_000;
const log = (...a) => console.error('[reports-bench]', ...a);

/** Writes conversations, contacts, messages, routing events and follow-ups straight into the migrated store. */
function seed(dataDir, now) {
  const db = new Database(join(dataDir, 'parley.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // a bulk load: rows go in child first
  db.pragma('foreign_keys = OFF');
  const iso = (t) => new Date(t).toISOString();
  const agents = Array.from({ length: 10 }, (_, i) => ({ id: `bench-agent-${i}`, email: `bench-agent-${i}@example.com`, name: `Bench Agent ${i}` }));
  const insAgent = db.prepare(`INSERT INTO agents (id, email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'agent', 'x', ?, ?)`);
  const insContact = db.prepare(`INSERT INTO contacts (id, site_id, token_hash, name, language, created_at, updated_at) VALUES (?, 'demo', ?, ?, ?, ?, ?)`);
  const insConv = db.prepare(`INSERT INTO conversations (id, site_id, contact_id, status, inquiry_type, assignee_id, answers, last_seq, created_at, updated_at, closed_at, team_id, priority, queued_at, assigned_at, rating_score, rating_comment, rated_at)
    VALUES (?, 'demo', ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`);
  const insMsg = db.prepare(`INSERT INTO messages (id, conversation_id, seq, client_id, author_type, author_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'text', ?)`);
  const insEvent = db.prepare(`INSERT INTO routing_events (id, conversation_id, kind, agent_id, team_id, actor_id, note, load_after, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?, NULL, ?)`);
  const insScheduled = db.prepare(`INSERT INTO scheduled_messages (id, conversation_id, agent_id, agent_name, client_id, text, send_at, status, attempts, created_at, updated_at, sent_at) VALUES (?, ?, ?, 'Bench', ?, 'follow-up', ?, 'sent', 1, ?, ?, ?)`);
  const teams = ['billing', 'shipping', 'technical', 'spanish'];
  const types = ['billing', 'shipping', 'technical', 'other'];
  const languages = ['en', 'en', 'en', 'de', 'es', 'fr'];
  let rnd = 42;
  const random = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = (list) => list[Math.floor(random() * list.length)];
  const contacts = Math.ceil(CONVERSATIONS * 0.7);
  let events = 0;
  const run = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      // 70% of contacts come once; the others come back
      const contact = `bench-c${i < contacts ? i : Math.floor(random() * contacts)}`;
      if (i < contacts) insContact.run(contact, `bench-h${i}`, `Customer ${i}`, pick(languages), iso(now - YEAR_MS), iso(now - YEAR_MS));
      const id = `bench-v${i}`;
      const start = now - YEAR_MS + Math.floor((i / CONVERSATIONS) * YEAR_MS);
      const team = pick(teams);
      const assignee = random() < 0.85 ? pick(agents).id : null;
      const queued = start + 1000;
      const assigned = assignee ? queued + Math.floor(random() * random() * 1_800_000) : null;
      let at = start;
      for (let s = 1; s <= MESSAGES_PER; s++) {
        at += 5000 + Math.floor(random() * 120_000);
        // the visitor first, a welcome auto-reply, then turns; a keyword rule now and then
        const author = s === 1 ? 'visitor' : s === 2 ? 'bot' : assignee && s % 2 === 1 ? 'agent' : random() < 0.1 ? 'bot' : 'visitor';
        const clientId = s === 2 ? `auto:welcome:${id}` : author === 'bot' ? `auto:rule:r${s}:${id}` : `bench-${id}-${s}`;
        insMsg.run(`${id}-m${s}`, id, s, clientId, author, author === 'agent' ? assignee : null, author, iso(at));
      }
      const open = start > now - 3 * 86_400_000 ? random() < 0.5 : random() < 0.02;
      const closedAt = open ? null : at + Math.floor(random() * 3_600_000);
      if (closedAt) {
        insEvent.run(`${id}-e1`, id, 'closed', assignee, team, null, iso(closedAt));
        events++;
        if (random() < 0.05) {
          // reopened (a third by a follow-up) and closed again a day later
          const reopened = closedAt + 3_600_000;
          const followUp = random() < 0.33;
          insEvent.run(`${id}-e2`, id, 'reopened', assignee, team, followUp ? 'follow-up' : null, iso(reopened));
          insEvent.run(`${id}-e3`, id, 'closed', assignee, team, null, iso(reopened + 86_400_000));
          if (followUp && assignee) insScheduled.run(`${id}-s`, id, assignee, `bench-f-${id}`, iso(reopened), iso(closedAt), iso(reopened), iso(reopened));
          events += 2;
        }
      }
      const lastClose = closedAt === null ? null : closedAt;
      const rated = closedAt && random() < 0.3;
      insConv.run(
        id,
        contact,
        open ? 'open' : 'closed',
        pick(types),
        assignee,
        MESSAGES_PER,
        iso(start),
        iso(at),
        lastClose ? iso(lastClose) : null,
        team,
        iso(queued),
        assigned ? iso(assigned) : null,
        rated ? 1 + Math.floor(random() * 5) : null,
        rated && random() < 0.3 ? 'Thanks, "very" helpful' : null,
        rated ? iso(closedAt + 60_000) : null,
      );
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
  const counts = db.prepare(`SELECT (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM routing_events) AS routingEvents`).get();
  db.close();
  return { ...counts, seedSeconds: (Date.now() - t0) / 1000 };
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1));
};

async function main() {
  const keep = process.env.BENCH_DATA_DIR;
  const dataDir = keep ? join(keep) : mkdtempSync(join(tmpdir(), 'parley-reports-'));
  const reuse = keep && existsSync(join(dataDir, 'parley.sqlite'));
  if (keep) mkdirSync(dataDir, { recursive: true });
  // the migrations (and the demo site) first, through the server's own store
  let db = await openStore({ dataDir, synchronous: 'NORMAL' });
  await db.insertInto('sites').values({ id: 'demo', name: 'Demo', created_at: new Date().toISOString() }).onConflict((oc) => oc.doNothing()).execute();
  await db.destroy();
  const now = Date.now();
  let seeded = null;
  if (!reuse) {
    log(`seeding ${CONVERSATIONS} conversations × ${MESSAGES_PER} messages over a year into ${dataDir}`);
    seeded = seed(dataDir, now);
    log('seeded', seeded);
  }
  db = await openStore({ dataDir, synchronous: 'NORMAL' });
  const reports = new ReportService(db, () => 'Europe/Berlin');
  const admin = { id: 'bench-admin', role: 'admin' };
  const day = (t) => new Date(t).toISOString().slice(0, 10);
  const range = { from: day(now - 30 * 86_400_000), to: day(now - 86_400_000), site: 'demo' };
  const names = ['conversations', 'first-response', 'resolution', 'messages', 'satisfaction', 'rating-comments', 'queue', 'busiest-hours', 'agents'];
  const results = {};
  for (const name of names) {
    for (const groupBy of [undefined, 'team', 'day']) {
      if (groupBy && ['busiest-hours', 'agents', 'rating-comments'].includes(name)) continue;
      const key = groupBy ? `${name}?groupBy=${groupBy}` : name;
      const times = [];
      let sample = null;
      for (let i = 0; i < REPEAT; i++) {
        const t0 = performance.now();
        sample = await reports.run(name, { ...range, ...(groupBy ? { groupBy } : {}) }, admin);
        times.push(performance.now() - t0);
      }
      results[key] = { p50: percentile(times, 0.5), max: Number(Math.max(...times).toFixed(1)), total: summary(name, sample) };
      log(key, results[key]);
    }
  }
  await db.destroy();
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
  const slowest = Math.max(...Object.values(results).map((r) => r.p50));
  console.log(
    JSON.stringify(
      {
        machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg().map((x) => Number(x.toFixed(2))) },
        store: seeded ?? { reused: dataDir },
        range: { ...range, days: 30, timeZone: 'Europe/Berlin' },
        repeat: REPEAT,
        ms: results,
        slowestP50: slowest,
        goalMs: 500,
        withinGoal: slowest < 500,
      },
      null,
      2,
    ),
  );
}

/** A figure or two of each report, to see it read real rows. */
function summary(name, report) {
  const t = report.total;
  switch (name) {
    case 'conversations':
      return { started: t.started, closed: t.closed, openAtEnd: t.openAtEnd };
    case 'first-response':
      return { answered: t.answered, medianSeconds: t.medianSeconds, p90Seconds: t.p90Seconds };
    case 'resolution':
      return { resolved: t.resolved, medianSeconds: t.medianSeconds };
    case 'messages':
      return { visitor: t.visitor, agent: t.agent, bot: t.bot };
    case 'satisfaction':
      return { count: t.count, average: t.average };
    case 'rating-comments':
      return { comments: report.comments.length };
    case 'queue':
      return { queued: t.queued, waitMedianSeconds: t.waitMedianSeconds, missed: t.missed };
    case 'busiest-hours':
      return { started: t.started };
    case 'agents':
      return { agents: report.groups.length };
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
