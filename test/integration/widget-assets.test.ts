import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../server/src/paths';
import { type TestServer, startServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

/** Raw bytes as they came over the wire (Node's fetch would decode them). */
async function wire(path: string, acceptEncoding?: string, extra: Record<string, string> = {}) {
  const { request } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const headers = { ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }), ...extra };
    const req = request(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The build's manifest: each entry's plain name to its content-hashed file. */
const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/public/manifest.json'), 'utf8')) as Record<string, string>;
const APP = `/${manifest['widget/app.js']}`;

describe('the widget as served', () => {
  const plain = (file: string) => readFileSync(join(ROOT, 'dist/public', file));

  it.each(['/widget.js', APP])('sends %s as Brotli to a browser that takes it, and the bytes decode to the build', async (path) => {
    const res = await wire(path, 'gzip, deflate, br, zstd');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(brotliDecompressSync(res.body).equals(plain(path.slice(1)))).toBe(true);
    expect(res.body.length).toBeLessThan(plain(path.slice(1)).length / 2);
  });

  it('sends gzip to a browser without Brotli, and the plain file to one that asks for neither', async () => {
    const gz = await wire(APP, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain(APP.slice(1)))).toBe(true);
    const identity = await wire(APP, 'identity');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.equals(plain(APP.slice(1)))).toBe(true);
    const refusesBr = await wire(APP, 'br;q=0, gzip');
    expect(refusesBr.headers['content-encoding']).toBe('gzip');
  });

  it('does not step outside the build folder or serve what it does not have', async () => {
    expect((await wire('/widget/..%2f..%2fpackage.json.js', 'br')).status).toBe(404);
    expect((await wire('/widget/nothing-here.js', 'br')).status).toBe(404);
    expect((await wire('/widget/%E0%A4%A.js', 'br')).status).toBe(404);
  });
});

describe('caching and compression as served', () => {
  it('names every built script and stylesheet by its content and lets browsers keep it for a year', async () => {
    expect(APP).toMatch(/^\/widget\/app-[\w-]{8}\.js$/);
    for (const key of ['widget/app.js', 'widget/badge.js', 'console/app.js', 'console/console.css', 'console/conversation.css']) {
      const path = `/${manifest[key]}`;
      expect(path, key).toMatch(/-[\w-]{8}\.(js|css)$/);
      const res = await wire(path, 'br');
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-encoding'], path).toBe('br');
      expect(res.headers.etag, path).toBeTruthy();
    }
    // the plain names are gone: an old page cannot mix one build's loader with another's app
    expect((await wire('/widget/app.js', 'br')).status).toBe(404);
  });

  it('keeps the loader, the one URL site owners paste, short-lived and revalidated by its ETag', async () => {
    const first = await wire('/widget.js', 'br');
    expect(first.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=3600');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^(W\/)?"/);
    const again = await wire('/widget.js', 'br', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // the gzip twin is another entity: its own tag, never answered with the Brotli one
    const gz = await wire('/widget.js', 'gzip', { 'if-none-match': etag });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    // the loader names the app and the badge by their hashed paths
    const loader = brotliDecompressSync(first.body).toString();
    expect(loader).toContain(APP);
    expect(loader).toContain(`/${manifest['widget/badge.js']}`);
  });

  it("serves the console's page precompressed, uncached, with its hashed script and styles, for every client route", async () => {
    for (const path of ['/console', '/console/', '/console/conversations/abc']) {
      const res = await wire(path, 'gzip, br');
      expect(res.status, path).toBe(200);
      expect(res.headers['content-encoding'], path).toBe('br');
      expect(res.headers['cache-control'], path).toBe('no-cache');
      const html = brotliDecompressSync(res.body).toString();
      expect(html).toContain(`src="/${manifest['console/app.js']}"`);
      expect(html).toContain(`href="/${manifest['console/console.css']}"`);
    }
    // a chunk of an older build is a 404, not the page (a script answered with HTML breaks the console)
    const stale = await wire('/console/app-AAAAAAAA.js', 'br');
    expect(stale.status).toBe(404);
    expect(String(stale.headers['content-type'])).not.toMatch(/html/);
  });

  it('compresses JSON answers of 1 KB and more by Accept-Encoding, and leaves small ones alone', async () => {
    const big = await wire('/api/v1/sites/demo/config?lang=en', 'gzip, deflate, br, zstd');
    expect(big.status).toBe(200);
    expect(big.headers['content-encoding']).toBe('br');
    expect(String(big.headers.vary)).toMatch(/Accept-Encoding/);
    const config = JSON.parse(brotliDecompressSync(big.body).toString()) as { siteId: string; prechat: unknown };
    expect(config.siteId).toBe('demo');
    expect(big.body.length).toBeLessThan(2000);
    const gz = await wire('/api/v1/sites/demo/config?lang=en', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.body).toString())).toEqual(config);
    const identity = await wire('/api/v1/sites/demo/config?lang=en', 'identity');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(identity.body.toString())).toEqual(config);
    // the launcher's settings are a few hundred bytes: not worth a compressor's framing
    const small = await wire('/api/v1/sites/demo/launcher?lang=de', 'br');
    expect(small.status).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.length).toBeLessThan(1024);
    expect(JSON.parse(small.body.toString())).toMatchObject({ language: 'de', openChat: 'Chat öffnen', closeChat: 'Chat schließen' });
  });
});
