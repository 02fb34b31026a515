// `npm run bench:widget`: what the widget costs a host page, measured in Chromium.
//
// Builds when the bundles are missing or older than their sources, starts the real server
// (dist/server/main.js, fresh DATA_DIR, free port), and drives Debian's Chromium with
// playwright-core. A host page (served by a Playwright route on the server's origin) is loaded
// with and without the loader; each figure is the median of RUNS fresh browser contexts:
//   - main-thread time the loader adds: CDP Performance.getMetrics TaskDuration and
//     ScriptDuration, page with the loader minus the same page without it, the app's import held
//     back so the facade alone is measured; then the app's idle-time prefetch on its own;
//   - script start to launcher visible: from the widget.js request start (and from its response
//     end) to the first animation frame after the launcher is in the page;
//   - click to a usable survey: from the click event to the first frame with the survey's first
//     field rendered and focused, cold (the app's request answered only after the click) and warm
//     (app fetched on idle).
// Prints one JSON document and writes docs/WIDGET-PERFORMANCE.md. Timings are reported, never
// asserted. env: WIDGET_PERF_RUNS (default 15), WIDGET_PERF_NO_DOCS=1, CHROMIUM_PATH.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const RUNS = Math.max(3, Number(process.env.WIDGET_PERF_RUNS ?? 15));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const log = (...a) => console.error('[widget-perf]', ...a);

function newest(path) {
  const stat = statSync(path);
  return stat.isDirectory() ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name)))) : stat.mtimeMs;
}

function buildIfNeeded() {
  const outputs = ['dist/server/main.js', 'dist/public/widget.js', 'dist/public/widget/app.js'].map((f) => join(ROOT, f));
  const sources = ['protocol/src', 'server/src', 'widget/src', 'rollup.config.mjs'].map((f) => join(ROOT, f));
  const stale = outputs.some((f) => !existsSync(f)) || Math.max(...sources.map(newest)) > Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  if (!stale) return;
  log('building…');
  const build = spawnSync('npx', ['rollup', '-c', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('build failed');
}

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer().once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

async function startServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-widget-perf-'));
  const child = spawn(process.execPath, [join(ROOT, 'dist/server/main.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_EMAIL: 'perf@example.com', ADMIN_PASSWORD: 'widget perf password', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (i > 150) throw new Error('server did not become healthy');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => (child.kill(), rmSync(dataDir, { recursive: true, force: true })) };
}

/**
 * A plain article page; the widget variant only adds the embed snippet. `storage`: the page reads
 * localStorage itself first, as pages with analytics or a consent banner do, so the browser's
 * one-time synchronous load of the origin's storage is not the widget's to pay.
 */
const hostPage = (withWidget, storage) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title>
${storage ? '<script>try { localStorage.getItem("consent") } catch {}</script>' : ''}<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem}</style></head><body>
<h1>Loose-leaf tea, shipped fresh</h1>${'<p>Our teas are picked, rolled and dried in small batches, then packed the week they ship. Steep at 80 °C for three minutes.</p>'.repeat(12)}
<ul>${Array.from({ length: 30 }, (_, i) => `<li><a href="#t${i}">Tea number ${i + 1}</a></li>`).join('')}</ul>
${withWidget ? '<script src="/widget.js" async data-site="demo"></script>' : ''}</body></html>`;

/** Installed before any page script: timestamps of the launcher's first frame and of the survey's first usable frame. */
function probe() {
  const marks = (window.__perf = {});
  const host = () => document.getElementById('parley-widget');
  new MutationObserver((_m, obs) => {
    if (!host()) return;
    obs.disconnect();
    marks.attached = performance.now();
    requestAnimationFrame(() => (marks.launcherFrame = performance.now()));
  }).observe(document, { childList: true, subtree: true });
  document.addEventListener(
    'click',
    (e) => {
      if (marks.click !== undefined || e.target !== host()) return;
      marks.click = e.timeStamp;
      const check = () => {
        const root = host()?.shadowRoot;
        const field = root?.querySelector('.survey input:not([type=hidden]), .survey select, .survey textarea');
        if (field && field.getClientRects().length > 0 && root.activeElement === field) marks.surveyFrame = performance.now();
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    },
    true,
  );
}

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const get = (name) => list.find((m) => m.name === name)?.value ?? 0;
  return { task: get('TaskDuration') * 1000, script: get('ScriptDuration') * 1000 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x) => Math.round(x * 100) / 100;
const summary = (xs) => ({ median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)), runs: xs.length });

/** Script time the trace attributes to widget.js itself: its evaluation plus every callback it registered. */
function loaderScriptMs(trace) {
  const events = JSON.parse(trace.toString()).traceEvents ?? [];
  const own = (e) => /\/widget\.js(\?|$)/.test(e.args?.data?.url ?? '');
  return events.filter((e) => e.ph === 'X' && (e.name === 'EvaluateScript' || e.name === 'FunctionCall') && own(e)).reduce((sum, e) => sum + e.dur / 1000, 0);
}

/**
 * One fresh context and page. `app`: 'hold' never answers the app's request (the facade alone),
 * 'serve' lets it load. Main-thread time runs from before navigation to `settle` ms after the load
 * event (the same quiet wait for every variant, with nothing polling the page meanwhile); then
 * `action` runs and the marks are read. 'gate' holds the app's request until `action` releases it.
 */
async function visit(browser, base, { withWidget, storage = false, app = 'serve', settle = 600, trace = false, action }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route(`${base}/host.html`, (route) => route.fulfill({ contentType: 'text/html', body: hostPage(withWidget, storage) }));
  let release = () => {};
  if (app === 'hold') await context.route(`${base}/widget/app.js`, () => {});
  if (app === 'gate') {
    const gate = new Promise((r) => (release = r));
    await context.route(`${base}/widget/app.js`, (route) => gate.then(() => route.continue()));
  }
  await context.addInitScript(probe);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (trace) await browser.startTracing(page, { categories: ['devtools.timeline'] });
  const before = await metrics(cdp);
  await page.goto(`${base}/host.html`, { waitUntil: 'load' });
  await page.waitForTimeout(settle);
  const after = await metrics(cdp);
  const loaderScript = trace ? loaderScriptMs(await browser.stopTracing()) : undefined;
  if (action) await action(page, release);
  const marks = await page.evaluate(() => {
    const widget = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/widget.js'));
    const appEntry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/widget/app.js'));
    return { ...window.__perf, widgetStart: widget?.startTime, widgetEnd: widget?.responseEnd, appLoaded: appEntry?.responseEnd };
  });
  await context.close();
  return { task: after.task - before.task, script: after.script - before.script, loaderScript, marks };
}

async function series(label, n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  log(`${label}: ${n} runs`);
  return out;
}

async function main() {
  buildIfNeeded();
  const loadStart = loadavg()[0];
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const base = server.url;
    // warm the server and the browser's code caches out of the figures
    await visit(browser, base, { withWidget: true, action: (p) => p.locator('#parley-widget button').click() });

    const plain = await series('page without the widget', RUNS, () => visit(browser, base, { withWidget: false }));
    const facade = await series('page with the loader, app held back', RUNS, () => visit(browser, base, { withWidget: true, app: 'hold' }));
    const traced = await series('loader script time, traced', RUNS, () => visit(browser, base, { withWidget: true, app: 'hold', trace: true }));
    const plainStorage = await series('page using localStorage, without the widget', RUNS, () => visit(browser, base, { withWidget: false, storage: true }));
    const facadeStorage = await series('page using localStorage, with the loader', RUNS, () => visit(browser, base, { withWidget: true, storage: true, app: 'hold' }));
    const tracedStorage = await series('loader script time on a page using localStorage, traced', RUNS, () =>
      visit(browser, base, { withWidget: true, storage: true, app: 'hold', trace: true }),
    );
    const idle = await series('page with the loader, app prefetched on idle', RUNS, () => visit(browser, base, { withWidget: true }));
    if (idle.some((r) => !r.marks.appLoaded)) log('note: in some runs the idle prefetch had not finished within the settle time');
    const openSurvey = (p) => p.locator('#parley-widget button').click().then(() => p.waitForFunction(() => window.__perf.surveyFrame !== undefined));
    // cold: the app's request (made on idle or on hover) is answered only once the click is in
    const cold = await series('click before the app is fetched', RUNS, () =>
      visit(browser, base, {
        withWidget: true,
        app: 'gate',
        action: async (p, release) => {
          const click = openSurvey(p);
          await p.waitForFunction(() => window.__perf.click !== undefined);
          release();
          await click;
        },
      }),
    );
    const warm = await series('click after the idle prefetch', RUNS, () => visit(browser, base, { withWidget: true, action: openSurvey }));

    const added = (runs, key, base = plain) => summary(runs.map((r) => r[key] - median(base.map((p) => p[key]))));
    const result = {
      date: new Date().toISOString(),
      command: 'npm run bench:widget',
      machine: {
        cpus: availableParallelism(),
        cpu: cpus()[0]?.model ?? 'unknown',
        memoryGiB: round(totalmem() / 2 ** 30),
        node: process.version,
        chromium: browser.version(),
        loadAverageAtStart: round(loadStart),
        loadAverageAtEnd: round(loadavg()[0]),
      },
      runs: RUNS,
      mainThreadMs: {
        pageWithoutWidget: { task: summary(plain.map((r) => r.task)), script: summary(plain.map((r) => r.script)) },
        addedByLoader: { task: added(facade, 'task'), script: added(facade, 'script') },
        loaderOwnScript: summary(traced.map((r) => r.loaderScript)),
        onPageUsingLocalStorage: {
          addedByLoader: { task: added(facadeStorage, 'task', plainStorage), script: added(facadeStorage, 'script', plainStorage) },
          loaderOwnScript: summary(tracedStorage.map((r) => r.loaderScript)),
        },
        addedByLoaderAndIdlePrefetch: { task: added(idle, 'task'), script: added(idle, 'script') },
      },
      launcherMs: {
        fromScriptRequestStart: summary(facade.map((r) => r.marks.launcherFrame - r.marks.widgetStart)),
        fromScriptResponseEnd: summary(facade.map((r) => r.marks.launcherFrame - r.marks.widgetEnd)),
        fromNavigationStart: summary(facade.map((r) => r.marks.launcherFrame)),
      },
      clickToUsableSurveyMs: {
        cold: summary(cold.map((r) => r.marks.surveyFrame - r.marks.click)),
        warm: summary(warm.map((r) => r.marks.surveyFrame - r.marks.click)),
      },
    };
    const sizes = spawnSync(process.execPath, [join(ROOT, 'scripts/size.mjs')], { cwd: ROOT, encoding: 'utf8' });
    result.sizes = JSON.parse(sizes.stdout.trim().split('\n').at(-1));
    console.log(JSON.stringify(result, null, 2));
    if (!process.env.WIDGET_PERF_NO_DOCS) writeFileSync(join(ROOT, 'docs/WIDGET-PERFORMANCE.md'), markdown(result));
  } finally {
    await browser.close();
    server.stop();
  }
}

const ms = (s) => `${s.median} ms (${s.min}–${s.max})`;

function markdown(r) {
  const m = r.mainThreadMs;
  const sizeRows = r.sizes.files.map((f) => `| \`${f.file}\` | ${f.kind} | ${f.raw.toLocaleString('en')} | ${f.gzip.toLocaleString('en')} |`).join('\n');
  return `# Widget performance

What the widget costs a host page, measured by \`${r.command}\` (bench/widget-perf.mjs) on
${r.date.slice(0, 10)}. Timings are medians of ${r.runs} fresh browser contexts (min–max in
brackets) on loopback; they are reported here, never asserted in tests. The sizes are checked on
every \`npm test\` by scripts/size.mjs.

Machine: ${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node},
Chromium ${r.machine.chromium} (headless, \`--disable-gpu\`, no CPU throttling). Load average
${r.machine.loadAverageAtStart} at the start and ${r.machine.loadAverageAtEnd} at the end of the run: the
machine is shared with other jobs, and every wall-clock figure below is inflated and scattered by
it; the differences of whole-page figures most of all (hence the negative minimums).

## Weight (gzip level 9, each file on its own)

| file | kind | raw B | gzipped B |
|---|---|---:|---:|
${sizeRows}

| budget | gzipped B | limit B |
|---|---:|---:|
| loader (\`/widget.js\`) | ${r.sizes.loader.gzip.toLocaleString('en')} | ${r.sizes.loader.budget.toLocaleString('en')} |
| everything loaded when the chat is open (loader + app + styles) | ${r.sizes.chatOpen.gzip.toLocaleString('en')} | ${r.sizes.chatOpen.budget.toLocaleString('en')} |

## Main-thread time

CDP \`Performance.getMetrics\` (TaskDuration, ScriptDuration) from navigation to a quiet page; the
page with the embed snippet minus the median of the same page without it.

| | TaskDuration | ScriptDuration |
|---|---|---|
| page without the widget (absolute) | ${ms(m.pageWithoutWidget.task)} | ${ms(m.pageWithoutWidget.script)} |
| added by the loader (app import held back) — goal < 5 ms | ${ms(m.addedByLoader.task)} | ${ms(m.addedByLoader.script)} |
| the loader's own script (traced: widget.js evaluation and its callbacks) | | ${ms(m.loaderOwnScript)} |
| **on a page that reads localStorage itself first:** added by the loader | ${ms(m.onPageUsingLocalStorage.addedByLoader.task)} | ${ms(m.onPageUsingLocalStorage.addedByLoader.script)} |
| **on a page that reads localStorage itself first:** the loader's own script (traced) | | ${ms(m.onPageUsingLocalStorage.loaderOwnScript)} |
| added by the loader plus the app's prefetch in idle time | ${ms(m.addedByLoaderAndIdlePrefetch.task)} | ${ms(m.addedByLoaderAndIdlePrefetch.script)} |

Part of the loader's own script time on a page that never touched localStorage is one call,
\`localStorage.getItem('parley:<site>')\`, which tells a returning visitor (connect at once) from
a new one: the first storage access of a page makes Chromium load the origin's storage from the
browser process synchronously. A page that already reads localStorage (analytics, consent
banners) has paid that wait, as the rows marked so show.

The prefetch runs in idle time (\`requestIdleCallback\`) or on the first hover, focus or touch of
the launcher; it imports the app module and does not render it.

## Launcher and survey

| | median (min–max) |
|---|---|
| widget.js request start → first frame with the launcher | ${ms(r.launcherMs.fromScriptRequestStart)} |
| widget.js response end → first frame with the launcher | ${ms(r.launcherMs.fromScriptResponseEnd)} |
| navigation start → first frame with the launcher | ${ms(r.launcherMs.fromNavigationStart)} |
| click → survey usable (first field rendered and focused), app not fetched yet — goal < 150 ms | ${ms(r.clickToUsableSurveyMs.cold)} |
| click → survey usable, app already fetched on idle — goal < 150 ms | ${ms(r.clickToUsableSurveyMs.warm)} |

"Cold": the app's request is answered only after the click, so the figure includes downloading
and evaluating the app module, fetching the site's configuration and the first render; "warm" (the
usual case: the app was prefetched on idle or on hover) only the configuration fetch and the
render.
`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
