// Builds the bundles when they are missing or older than their sources, then starts the server.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const outputs = ['dist/server/main.js', 'dist/public/widget.js', 'dist/public/widget/app.js', 'dist/public/console/app.js'];
const sources = ['protocol/src', 'server/src', 'widget/src', 'console/src', 'rollup.config.mjs'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const missing = outputs.some((file) => !existsSync(file));
const stale = !missing && Math.max(...sources.map(newest)) > Math.min(...outputs.map((f) => statSync(f).mtimeMs));
if (missing || stale) {
  console.log(missing ? 'Building (first run)…' : 'Sources changed, rebuilding…');
  const build = spawnSync('npx', ['rollup', '-c', '--silent'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const server = spawnSync(process.execPath, ['--enable-source-maps', 'dist/server/main.js'], { stdio: 'inherit' });
process.exit(server.status ?? 0);
