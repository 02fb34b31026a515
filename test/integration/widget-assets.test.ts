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
async function wire(path: string, acceptEncoding?: string) {
  const { request } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the widget as served', () => {
  const plain = (file: string) => readFileSync(join(ROOT, 'dist/public', file));

  it.each(['/widget.js', '/widget/app.js'])('sends %s as Brotli to a browser that takes it, and the bytes decode to the build', async (path) => {
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
    const gz = await wire('/widget/app.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain('widget/app.js'))).toBe(true);
    const identity = await wire('/widget/app.js', 'identity');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.equals(plain('widget/app.js'))).toBe(true);
    const refusesBr = await wire('/widget/app.js', 'br;q=0, gzip');
    expect(refusesBr.headers['content-encoding']).toBe('gzip');
  });

  it('does not step outside the build folder or serve what it does not have', async () => {
    expect((await wire('/widget/..%2f..%2fpackage.json.js', 'br')).status).toBe(404);
    expect((await wire('/widget/nothing-here.js', 'br')).status).toBe(404);
    expect((await wire('/widget/%E0%A4%A.js', 'br')).status).toBe(404);
  });
});
