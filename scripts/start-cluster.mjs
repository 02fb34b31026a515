// `npm run start:cluster [-- --nodes N]`: N Parley nodes (default 2) on PostgreSQL (DATABASE_URL) and
// Redis (REDIS_URL), on ports 3001…, behind Debian's nginx on PORT (default 3000) configured with the
// file in docs/DEPLOY.md: several nodes on one machine, to try what docs/DEPLOY.md describes.
// Ctrl-C stops them all.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployNginxSite, nginxConf } from './nginx-config.mjs';

const args = process.argv.slice(2);
const n = Number(args[args.indexOf('--nodes') + 1] ?? 2);
const nodes = args.includes('--nodes') ? n : 2;
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 8) {
  console.error('--nodes takes a number from 1 to 8');
  process.exit(2);
}
for (const name of ['DATABASE_URL', 'REDIS_URL']) {
  if (!process.env[name]) {
    console.error(`set ${name}: several nodes share PostgreSQL and Redis (docs/DEPLOY.md)`);
    process.exit(2);
  }
}
const nginx = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const port = Number(process.env.PORT ?? 3000);
const ports = Array.from({ length: nodes }, (_, i) => port + 1 + i);

if (spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' }).status !== 0) process.exit(1);

const children = [];
const stop = (code) => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2000).unref();
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));

const data = process.env.DATA_DIR ?? 'data';
for (const [i, p] of ports.entries()) {
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    env: { ...process.env, PORT: String(p), HOST: '127.0.0.1', DATA_DIR: data, PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}` },
    stdio: ['ignore', i === 0 ? 'inherit' : 'ignore', 'inherit'],
  });
  child.on('exit', (code) => {
    console.error(`node on port ${p} exited (${code})`);
    stop(1);
  });
  children.push(child);
}

const dir = mkdtempSync(join(tmpdir(), 'parley-cluster-nginx-'));
for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, deployNginxSite(ports, port)));
const proxy = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'inherit' });
proxy.on('error', (e) => {
  console.error(`cannot start nginx (${nginx}): ${e.message}; run \`bash scripts/ensure-nginx.sh\``);
  stop(1);
});
children.push(proxy);
console.log(`\n  ${nodes} Parley nodes (ports ${ports.join(', ')}) behind nginx: http://localhost:${port}/ and http://localhost:${port}/console\n`);
