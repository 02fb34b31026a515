// Builds the bundles when they are missing or older than their sources, then starts the server.
// Signals reach the child (build or server) and the launcher exits with the child's code, so
// `npm start` stopped by SIGTERM, SIGINT or SIGHUP never leaves a server behind.
// PARLEY_SKIP_BUILD=1 starts what dist/ holds without checking it (tests of the launcher).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';

// the manifest is written last by the widget's and the console's builds (their files carry content hashes)
const outputs = ['dist/server/main.js', 'dist/public/widget.js', 'dist/public/manifest.json', 'dist/public/console/index.html'];
const sources = ['protocol/src', 'server/src', 'widget/src', 'console/src', 'rollup.config.mjs'];
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

// installed for the launcher's whole life, so these signals never end it before its child
let child = null;
let stopped = null;
for (const signal of forwarded) {
  process.on(signal, () => {
    if (child) child.kill(signal);
    else stopped = signal;
  });
}

/** Runs a child with the terminal, our signals passed on; resolves with the exit code the launcher should use. */
function run(command, args) {
  // a signal between two children (after the build) starts nothing more
  if (stopped) return Promise.resolve(128 + constants.signals[stopped]);
  return new Promise((resolve) => {
    child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`cannot start ${command}: ${error.message}`);
      child = null;
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      child = null;
      // killed by a signal: the shell's convention, 128 + its number
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

const check = process.env.PARLEY_SKIP_BUILD !== '1';
const missing = check && outputs.some((file) => !existsSync(file));
const stale = check && !missing && Math.max(...sources.map(newest)) > Math.min(...outputs.map((f) => statSync(f).mtimeMs));
if (missing || stale) {
  console.log(missing ? 'Building (first run)…' : 'Sources changed, rebuilding…');
  const status = await run('npx', ['rollup', '-c', '--silent']);
  if (status !== 0) process.exit(status);
}
process.exit(await run(process.execPath, ['--enable-source-maps', 'dist/server/main.js']));
