// The nginx configuration of docs/DEPLOY.md, as `npm run start:cluster` and the multi-node test run
// it: the documented file with its upstream servers and `listen` line set to the ports in use.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The conf.d file of docs/DEPLOY.md for nodes on `ports`, listening on 127.0.0.1:`listen`. */
export function deployNginxSite(ports, listen) {
  const doc = readFileSync(join(ROOT, 'docs/DEPLOY.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/DEPLOY.md has no nginx block');
  if (!block.includes('upstream parley {') || !/listen 80;/.test(block)) throw new Error("docs/DEPLOY.md's nginx block lost its upstream or listen line");
  return block
    .replace(/^\s*server 127\.0\.0\.1:\d+[^\n]*\n/gm, '')
    .replace('upstream parley {', `upstream parley {\n${ports.map((p) => `  server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}`)
    .replace(/listen 80;/, `listen 127.0.0.1:${listen};`);
}

/** A whole nginx.conf around `site` for an nginx run from `dir` (no daemon, its own pid and temp folders). */
export function nginxConf(dir, site) {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${site}
}
`;
}
