import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs module of the scripts, without types
import { nginxConf } from '../../scripts/nginx-config.mjs';

/** Debian's nginx, installed by scripts/ensure-nginx.sh (run by `npm test`). */
export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export interface Nginx {
  url: string;
  port: number;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A real nginx in front of `upstreams` (host:port), as a site owner would run it (or with `site`,
 * the http-level configuration given, listening on the port it is handed): WebSocket
 * upgrades passed on, and nginx's own gzip switched on for everything it is allowed to compress,
 * so tests see whether Parley's compressed answers reach the browser encoded once. Its own
 * folder, its own free port, no daemon; `close()` stops it and removes the folder.
 */
export async function startNginx(upstreams: string[], extraHttp = '', site?: (port: number) => string): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const port = await freePort();
  const defaultSite = `gzip on;
  gzip_proxied any;
  gzip_min_length 20;
  gzip_types application/json application/problem+json text/css text/javascript application/javascript;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream parley { ${upstreams.map((u) => `server ${u};`).join(' ')} }
  ${extraHttp}
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://parley;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 60s;
    }
  }`;
  writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, site ? site(port) : defaultSite));
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr} ${safeRead(join(dir, 'error.log'))}`);
    const up = await fetch(`${url}/healthz`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer on ${url}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
