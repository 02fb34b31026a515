#!/usr/bin/env node
/**
 * Weighs the built widget against its budgets and fails when one is exceeded:
 *   - the facade loader (`widget.js`) at most 2,000 bytes gzipped;
 *   - everything loaded when the chat is open (the loader, every app chunk, every stylesheet) at
 *     most 25,000 bytes gzipped.
 * Sizes are gzip level 9, each file compressed on its own, as a CDN serves them.
 * Prints a table, then the same figures as one line of JSON.
 *
 *   node scripts/size.mjs [--dir dist/public] [--loader-budget 2000] [--total-budget 25000]
 *
 * Budgets may also come from SIZE_LOADER_BUDGET and SIZE_TOTAL_BUDGET. Exit codes: 0 within
 * budget, 1 over budget, 2 not built (or bad arguments).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GZIP_LEVEL = 9;

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
      'loader-budget': { type: 'string', default: process.env.SIZE_LOADER_BUDGET ?? '2000' },
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
  return { file: relative(dir, file), kind, raw: bytes.length, gzip: gzipSync(bytes, { level: GZIP_LEVEL }).length };
}

const files = [
  weigh(loaderFile, 'loader'),
  ...walk(appDir)
    .filter((f) => /\.(m?js|css)$/.test(f))
    .sort()
    .map((f) => weigh(f, f.endsWith('.css') ? 'style' : 'app')),
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
    return { file: '(styles inside app.js)', kind: 'style, inlined', raw: bytes.length, gzip: gzipSync(bytes, { level: GZIP_LEVEL }).length };
  } catch {
    return null;
  }
}
const styles = await inlineStyles();

const loader = files[0].gzip;
const total = files.reduce((sum, f) => sum + f.gzip, 0);
const over = [];
if (loader > budgets.loader) over.push(`loader ${loader} B gzipped > ${budgets.loader} B`);
if (total > budgets.total) over.push(`chat open ${total} B gzipped > ${budgets.total} B`);

const rows = [...files, ...(styles ? [styles] : [])];
const width = Math.max(...rows.map((r) => r.file.length), 'total when the chat is open'.length);
const line = (a, b, c, d) => `${a.padEnd(width)}  ${b.padEnd(15)}  ${String(c).padStart(7)}  ${String(d).padStart(7)}`;
console.log(line('file', 'kind', 'raw', 'gzip'));
for (const r of rows) console.log(line(r.file, r.kind, r.raw, r.gzip));
console.log(line('loader budget', '', '', `${loader}/${budgets.loader}`));
console.log(line('total when the chat is open', '', files.reduce((s, f) => s + f.raw, 0), `${total}/${budgets.total}`));
console.log(
  JSON.stringify({
    gzipLevel: GZIP_LEVEL,
    files: rows,
    loader: { gzip: loader, budget: budgets.loader },
    chatOpen: { gzip: total, budget: budgets.total },
    ok: over.length === 0,
  }),
);
if (over.length > 0) {
  console.error(`size: over budget: ${over.join('; ')}`);
  process.exit(1);
}
