#!/usr/bin/env node
/**
 * Weighs the built widget against its budgets and fails when one is exceeded:
 *   - the facade loader (`widget.js`) at most 2,280 bytes (with the launcher's settings, about 220 B, under the 2,500 B a page pays before any interaction);
 *   - everything loaded when the chat is open (the loader, every app chunk, every stylesheet) at
 *     most 25,000 bytes;
 *   - the attachment chunk (loaded only when a visitor attaches or is shown a file) at most 4,000;
 *   - the console's inbox (its entry and the chunks it imports statically) at most 45,000.
 * Budgets count bytes as the server sends them to a browser that accepts Brotli (every browser
 * over HTTPS): Brotli quality 11, each file on its own, as the build precompresses them (scripts/compress.mjs) and
 * server/src/http/static-assets.ts serves them. Gzip level 9 (what a browser without Brotli
 * receives) is printed beside it.
 * Prints a table, then the same figures as one line of JSON.
 *
 *   node scripts/size.mjs [--dir dist/public] [--loader-budget 2350] [--total-budget 25000]
 *
 * Budgets may also come from SIZE_LOADER_BUDGET and SIZE_TOTAL_BUDGET. Exit codes: 0 within
 * budget, 1 over budget, 2 not built (or bad arguments).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BROTLI_QUALITY, GZIP_LEVEL, brotli, gzip } from './compress.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function fail(message) {
  console.error(`size: ${message}`);
  process.exit(2);
}

function budget(value, name) {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) fail(`${name} must be a positive whole number of bytes, got ${JSON.stringify(value)}`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      dir: { type: 'string', default: join(ROOT, 'dist/public') },
      'loader-budget': { type: 'string', default: process.env.SIZE_LOADER_BUDGET ?? '2350' },
      'total-budget': { type: 'string', default: process.env.SIZE_TOTAL_BUDGET ?? '25000' },
    },
  }).values;
} catch (err) {
  fail(err.message);
}
const dir = args.dir;
const budgets = { loader: budget(args['loader-budget'], '--loader-budget'), total: budget(args['total-budget'], '--total-budget') };

const loaderFile = join(dir, 'widget.js');
const appDir = join(dir, 'widget');
if (!existsSync(loaderFile) || !existsSync(appDir)) fail(`no widget build under ${dir}: run \`npm run build\` first`);

/** Every file under a directory, deepest last. */
const walk = (d) => readdirSync(d).flatMap((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : [join(d, name)]));


function weigh(file, kind) {
  const bytes = readFileSync(file);
  return { file: relative(dir, file), kind, raw: bytes.length, gzip: gzip(bytes).length, brotli: brotli(bytes).length };
}

const files = [
  weigh(loaderFile, 'loader'),
  ...walk(appDir)
    .filter((f) => /\.(m?js|css)$/.test(f))
    .sort()
    // the attachment chunk loads only when a visitor attaches or is shown a file, the menu's items when it opens, the rating form once a chat is closed: weighed on their own budget
    // the badge loads only for a returning visitor with unread messages, before (and without) the app
    .map((f) => weigh(f, f.endsWith('.css') ? 'style' : /\/(attachments|menu-items|Rating|page-api)-[^/]*\.js$/.test(f) ? 'lazy' : /\/badge(-[\w-]{8})?\.js$/.test(f) ? 'badge' : 'app')),
];

/**
 * The app's stylesheet ships inside its JavaScript (one request fewer): weighed on its own for
 * the table, already counted in the chunk that holds it.
 */
async function inlineStyles() {
  const source = join(ROOT, 'widget/src/app/styles.ts');
  if (!existsSync(source)) return null;
  try {
    const { transformSync } = await import('esbuild');
    const { code } = transformSync(readFileSync(source, 'utf8'), { loader: 'ts', format: 'esm' });
    const { CSS } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
    const bytes = Buffer.from(CSS);
    return { file: '(styles inside app.js)', kind: 'style, inlined', raw: bytes.length, gzip: gzip(bytes).length, brotli: brotli(bytes).length };
  } catch {
    return null;
  }
}
const styles = await inlineStyles();

const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);

/**
 * The console's inbox: its entry script (named in the build's manifest) and every chunk it imports
 * statically, which the browser fetches before the inbox can show; screens loaded with import() are
 * not in it. Absent when the folder holds no console build.
 */
function consoleInbox() {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return null;
  const entry = JSON.parse(readFileSync(manifestFile, 'utf8'))['console/app.js'];
  if (!entry || !existsSync(join(dir, entry))) return null;
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dir, file), 'utf8');
    // rollup's static imports between chunks: import{…}from"./x.js" and import"./x.js" (never import("./x.js"))
    for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g)) visit(join(dirname(file), m[1]));
  };
  visit(entry);
  return [...seen].map((f) => weigh(join(dir, f), 'console inbox'));
}
const inbox = consoleInbox();
const INBOX_BUDGET = 45_000;
const inboxTotal = inbox ? sum(inbox, 'brotli') : 0;
const open = files.filter((f) => f.kind !== 'lazy' && f.kind !== 'badge');
const badgeFiles = files.filter((f) => f.kind === 'badge');
const badge = sum(badgeFiles, 'brotli');
const BADGE_BUDGET = 1000;
const later = files.filter((f) => f.kind === 'lazy');
const loader = files[0].brotli;
const total = sum(open, 'brotli');
const lazy = sum(later, 'brotli');
const LAZY_BUDGET = 4000;
const over = [];
if (badgeFiles.length === 0) over.push('the badge (widget/badge-<hash>.js) is missing');
if (badge > BADGE_BUDGET) over.push(`badge ${badge} B as served > ${BADGE_BUDGET} B`);
if (loader + badge > budgets.loader + BADGE_BUDGET) over.push('loader and badge over their budgets');
if (lazy > LAZY_BUDGET) over.push(`attachment chunk ${lazy} B as served > ${LAZY_BUDGET} B`);
if (loader > budgets.loader) over.push(`loader ${loader} B as served > ${budgets.loader} B`);
if (total > budgets.total) over.push(`chat open ${total} B as served > ${budgets.total} B`);
if (inboxTotal > INBOX_BUDGET) over.push(`console inbox JavaScript ${inboxTotal} B as served > ${INBOX_BUDGET} B`);

const rows = [...files, ...(styles ? [styles] : [])];
const width = Math.max(...rows.map((r) => r.file.length), 'total when the chat is open'.length);
const line = (a, b, c, d, e) => `${a.padEnd(width)}  ${b.padEnd(15)}  ${String(c).padStart(7)}  ${String(d).padStart(7)}  ${String(e).padStart(12)}`;
console.log(line('file', 'kind', 'raw', 'gzip', 'brotli'));
for (const r of rows) console.log(line(r.file, r.kind, r.raw, r.gzip, r.brotli));
console.log(line('loader budget', '', '', files[0].gzip, `${loader}/${budgets.loader}`));
console.log(line('total when the chat is open', '', sum(open, 'raw'), sum(open, 'gzip'), `${total}/${budgets.total}`));
console.log(line('lazy chunks (attachments, menu, rating)', '', sum(later, 'raw'), sum(later, 'gzip'), `${lazy}/${LAZY_BUDGET}`));
console.log(line('unread badge (returning visitor)', '', sum(badgeFiles, 'raw'), sum(badgeFiles, 'gzip'), `${badge}/${BADGE_BUDGET}`));
if (inbox) {
  for (const r of inbox) console.log(line(r.file, r.kind, r.raw, r.gzip, r.brotli));
  console.log(line('console inbox JavaScript', '', sum(inbox, 'raw'), sum(inbox, 'gzip'), `${inboxTotal}/${INBOX_BUDGET}`));
}
console.log(
  JSON.stringify({
    gzipLevel: GZIP_LEVEL,
    brotliQuality: BROTLI_QUALITY,
    files: rows,
    loader: { brotli: loader, gzip: files[0].gzip, budget: budgets.loader },
    chatOpen: { brotli: total, gzip: sum(open, 'gzip'), budget: budgets.total },
    attachments: { brotli: lazy, gzip: sum(later, 'gzip'), budget: LAZY_BUDGET },
    badge: { brotli: badge, gzip: sum(badgeFiles, 'gzip'), budget: BADGE_BUDGET },
    ...(inbox ? { consoleInbox: { files: inbox, brotli: inboxTotal, gzip: sum(inbox, 'gzip'), budget: INBOX_BUDGET } } : {}),
    ok: over.length === 0,
  }),
);
if (over.length > 0) {
  console.error(`size: over budget: ${over.join('; ')}`);
  process.exit(1);
}
