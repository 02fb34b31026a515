import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { brotli, gzip } from './scripts/compress.mjs';
import { leanModules } from './scripts/lean-modules.mjs';

/**
 * Four bundles: the widget's facade loader (a classic script), the widget app
 * (an ES module the loader imports on intent), the console app, and the server
 * (node_modules stay external). `--environment TARGET:widget` builds one group.
 */

/**
 * engine.io-client maps its Node transports (ws, xmlhttprequest-ssl) to browser files through its
 * package.json "browser" field, which node-resolve does not apply to these relative imports.
 */
const engineIoBrowser = {
  name: 'engine-io-browser',
  resolveId(source, importer, options) {
    if (!importer?.includes('engine.io-client') || !source.endsWith('.node.js')) return null;
    return this.resolve(source.replace(/\.node\.js$/, '.js'), importer, { ...options, skipSelf: true });
  },
};

/**
 * The widget speaks WebSocket first and falls back to fetch()-based long-polling. engine.io-client
 * looks its transports up by name in one table (`transports[name]`), which would also ship
 * WebTransport and XHR polling: the widget gets a table of the two it uses, and the package
 * index's re-exports of the other two (which nothing in the widget imports) become undefined.
 */
const ENGINE_TRANSPORTS = '\0parley-engine-transports:';
const ENGINE_UNUSED = '\0parley-engine-unused-transports';
const engineIoTransports = {
  name: 'engine-io-transports',
  resolveId(source, importer) {
    if (!importer?.includes('engine.io-client')) return null;
    if (source === './transports/index.js') return ENGINE_TRANSPORTS + join(dirname(importer), 'transports');
    if (/\/(polling-xhr|webtransport)(\.node)?\.js$/.test(source)) return ENGINE_UNUSED;
    return null;
  },
  load(id) {
    if (id === ENGINE_UNUSED) return 'export const XHR = undefined;\nexport const WT = undefined;\n';
    if (!id.startsWith(ENGINE_TRANSPORTS)) return null;
    const dir = id.slice(ENGINE_TRANSPORTS.length);
    return [
      `import { WS } from ${JSON.stringify(join(dir, 'websocket.js'))};`,
      `import { Fetch } from ${JSON.stringify(join(dir, 'polling-fetch.js'))};`,
      'export const transports = { websocket: WS, polling: Fetch };',
    ].join('\n');
  },
};

/**
 * Library modules the widget build swaps for smaller ones of the same interface in widget/src/lean/,
 * each weighed against the budget (scripts/size.mjs) and tested against the original
 * (test/unit/widget-lean.test.ts): [package that imports it, specifier, replacement].
 */
const LEAN = [
  // one namespace, JSON events and acks with a deadline: no Manager shared by namespaces, no flags or recovery
  ['', 'socket.io-client', 'socket-io-client.ts'],
  // the widget's events are JSON: no binary attachments to split off and reassemble
  ['widget/src/lean/', 'socket.io-parser', 'socket-parser.ts'],
  // nor binary Engine.IO frames: no base64, Blob or ArrayBuffer handling
  ['engine.io-client', 'engine.io-parser', 'engine-parser.ts'],
  // the platform's URL parser instead of a large regular expression
  ['engine.io-client', './contrib/parseuri.js', 'parse-uri.ts'],
  // JSX through preact's own createElement instead of a second vnode factory
  ['', 'preact/jsx-runtime', 'jsx-runtime.ts'],
  // the four calls of @preact/signals-core the widget makes, without the rest of the package
  ['', '@preact/signals-core', 'signals.ts'],
  ['', '@socket.io/component-emitter', 'emitter.ts'],
  ['engine.io-client', './util.js', 'engine-util.ts'],
  ['engine.io-client', '../util.js', 'engine-util.ts'],
  ['engine.io-client', './globals.node.js', 'engine-util.ts'],
  ['engine.io-client', '../globals.node.js', 'engine-util.ts'],
  ['engine.io-client', './contrib/parseqs.js', 'engine-util.ts'],
].map(([pkg, specifier, file]) => ({ pkg, specifier, file: fileURLToPath(new URL(`./widget/src/lean/${file}`, import.meta.url)) }));

/**
 * The exact versions the stand-ins were written against and tested with (package.json pins them
 * too): a stand-in replaces a module of the package named by its specifier, or, for a relative
 * specifier, a file of the package that imports it.
 */
const PINNED = {
  'socket.io-client': '4.8.4',
  'socket.io-parser': '4.2.7',
  'engine.io-client': '6.6.8',
  'engine.io-parser': '5.2.3',
  preact: '10.29.8',
  '@preact/signals-core': '1.14.5',
  '@socket.io/component-emitter': '3.1.2',
};

// passes 3, pure_getters, unsafe_* and ecma 2022 were measured on the widget: none saves 60 gzipped bytes
const TERSER = { ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } };

/** The plugins of a browser bundle; `pre` runs first. The widget is weighed against a budget (scripts/size.mjs). */
const browser = ({ pre = [], target = 'es2020' } = {}) => [
  ...pre,
  engineIoBrowser,
  replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
  resolve({ browser: true, extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
  esbuild({ target, jsx: 'automatic', jsxImportSource: 'preact' }),
  terser(TERSER),
];

/**
 * Writes each built script, stylesheet and page beside itself as Brotli (quality 11) and gzip
 * (level 9), as the server sends them to browsers that accept them; and removes files an earlier
 * build left in the folder, so that neither the server nor the size check meets a stale one.
 */
const precompress = () => ({
  name: 'precompress',
  writeBundle(options, bundle) {
    const dir = options.dir ?? dirname(options.file);
    const written = new Set(Object.keys(bundle).map((name) => join(dir, name)));
    if (options.dir) {
      for (const name of readdirSync(dir)) {
        const file = join(dir, name);
        if (!written.has(file.replace(/\.(br|gz)$/, ''))) rmSync(file, { force: true });
      }
    }
    for (const file of written) {
      if (!/\.(js|css|html)$/.test(file)) continue;
      const bytes = readFileSync(file);
      writeFileSync(`${file}.br`, brotli(bytes));
      writeFileSync(`${file}.gz`, gzip(bytes));
    }
  },
});

/**
 * Every built file but the widget's loader (`/widget.js`, the one URL site owners paste) and the
 * console's page carries a hash of its content in its name, so the server lets browsers keep it for
 * a year (server/src/http/static-assets.ts). The manifest maps each entry's plain name to its hashed
 * one: the loader build reads the widget's, the console page is written with the console's, and
 * scripts/size.mjs and scripts/start.mjs read the file `dist/public/manifest.json`.
 */
const MANIFEST = 'dist/public/manifest.json';
const manifest = (() => {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return {};
  }
})();
const HASHED = { entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' };
const recordEntries = (prefix) => ({
  name: 'manifest',
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type === 'chunk' && file.isEntry) manifest[`${prefix}/${file.name}.js`] = `${prefix}/${file.fileName}`;
      else if (file.type === 'asset' && file.names?.[0] && file.fileName !== 'index.html') manifest[`${prefix}/${file.names[0]}`] = `${prefix}/${file.fileName}`;
    }
  },
  writeBundle() {
    writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  },
});
/** The hashed path of a built widget entry, for the loader's source (`__WIDGET_APP__`, `__WIDGET_BADGE__`). */
const widgetPath = (name) => () => {
  const path = manifest[`widget/${name}.js`];
  if (!path) throw new Error(`the widget's ${name} entry must be built before the loader`);
  return JSON.stringify(`/${path}`);
};

/** The console's page: console/static/index.html with its stylesheets and script under their hashed names. */
const consolePage = {
  name: 'console-page',
  buildStart() {
    for (const name of ['console.css', 'conversation.css']) {
      this.addWatchFile(`console/static/${name}`);
      this.emitFile({ type: 'asset', name, source: readFileSync(`console/static/${name}`) });
    }
  },
  generateBundle(_options, bundle) {
    const hashed = new Map();
    for (const file of Object.values(bundle)) {
      if (file.type === 'chunk' && file.isEntry) hashed.set(`/console/${file.name}.js`, `/console/${file.fileName}`);
      if (file.type === 'asset' && file.names?.[0]) hashed.set(`/console/${file.names[0]}`, `/console/${file.fileName}`);
    }
    let html = readFileSync('console/static/index.html', 'utf8');
    for (const [plain, path] of hashed) {
      if (!html.includes(`"${plain}"`)) throw new Error(`console/static/index.html does not reference ${plain}`);
      html = html.replace(`"${plain}"`, `"${path}"`);
    }
    this.emitFile({ type: 'asset', fileName: 'index.html', source: html });
  },
};

const widget = [
  {
    // badge: the launcher's unread badge and preview, which the loader imports only when there is something unread
    input: { app: 'widget/src/app/index.tsx', badge: 'widget/src/badge.ts' },
    // valibot schema builders are pure: unused schemas of protocol/ must not ship (a schema whose
    // arguments call anything else still does: the widget imports protocol modules, not the index)
    treeshake: { manualPureFunctions: ['v'] },
    // the lazily loaded attachment chunk imports preact from app.js itself: no facade chunk in between
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist/public/widget', format: 'es', ...HASHED },
    // es2022: native class fields (Chrome 72, Firefox 69, Safari 14) instead of a helper per class
    plugins: [...browser({ pre: [engineIoTransports, leanModules(LEAN, PINNED, { whole: 'widget/src/app/index.tsx' })], target: 'es2022' }), precompress(), recordEntries('widget')],
  },
  {
    // built after the app: it imports the app and the badge by their hashed names
    input: 'widget/src/loader.ts',
    output: { file: 'dist/public/widget.js', format: 'iife' },
    plugins: [
      replace({ preventAssignment: true, values: { __WIDGET_APP__: widgetPath('app'), __WIDGET_BADGE__: widgetPath('badge') } }),
      ...browser(),
      precompress(),
    ],
  },
];

const consoleApp = [
  {
    input: { app: 'console/src/main.tsx' },
    output: { dir: 'dist/public/console', format: 'es', ...HASHED },
    plugins: [...browser(), consolePage, precompress(), recordEntries('console')],
  },
];

const server = [
  {
    // main.js starts the server; cli.js is `parley <command>` (bin/parley.mjs); what they share is a chunk beside
    // them (server/src/paths.ts finds the repository two folders up from it)
    input: { main: 'server/src/main.ts', cli: 'server/src/cli.ts' },
    output: { dir: 'dist/server', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    external: (id) => builtinModules.includes(id) || id.startsWith('node:') || (!id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0')),
    plugins: [esbuild({ target: 'node20' })],
  },
];

// the npm package `parley-chat` (sdk/): an ES module for bundlers, readable; its types come from `tsc -p sdk`
const sdk = [
  {
    input: 'sdk/src/widget.ts',
    output: { file: 'sdk/dist/widget.js', format: 'es' },
    plugins: [esbuild({ target: 'es2020' })],
  },
];

const target = process.env.TARGET;
export default target === 'widget' ? widget : target === 'console' ? consoleApp : target === 'server' ? server : target === 'sdk' ? sdk : [...widget, ...consoleApp, ...server, ...sdk];
