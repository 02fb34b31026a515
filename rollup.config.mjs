import { builtinModules } from 'node:module';
import { isAbsolute } from 'node:path';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

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

const browser = (extra = {}) => [
  engineIoBrowser,
  replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
  resolve({ browser: true, extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
  esbuild({ target: 'es2020', jsx: 'automatic', jsxImportSource: 'preact', ...extra }),
  terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
];

const widget = [
  {
    input: 'widget/src/loader.ts',
    output: { file: 'dist/public/widget.js', format: 'iife' },
    plugins: browser(),
  },
  {
    input: { app: 'widget/src/app/index.tsx' },
    // valibot schema builders are pure: unused schemas of protocol/ must not ship
    treeshake: { manualPureFunctions: ['v'] },
    output: { dir: 'dist/public/widget', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    plugins: browser(),
  },
];

const consoleApp = [
  {
    input: { app: 'console/src/main.tsx' },
    output: { dir: 'dist/public/console', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    plugins: browser(),
  },
];

const server = [
  {
    input: 'server/src/main.ts',
    output: { file: 'dist/server/main.js', format: 'es', sourcemap: true },
    external: (id) => builtinModules.includes(id) || id.startsWith('node:') || (!id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0')),
    plugins: [esbuild({ target: 'node20' })],
  },
];

const target = process.env.TARGET;
export default target === 'widget' ? widget : target === 'console' ? consoleApp : target === 'server' ? server : [...widget, ...consoleApp, ...server];
