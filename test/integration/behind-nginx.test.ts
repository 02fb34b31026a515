import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../server/src/paths';
import { type Nginx, startNginx } from '../helpers/nginx';
import { type TestServer, connected, goodAnswers, startServer } from '../helpers/server';

/**
 * Parley behind a real nginx that compresses on its own (gzip on for JSON, scripts and styles):
 * whatever Parley sent compressed reaches the client encoded exactly once, and what Parley left
 * plain nginx may compress; the widget's socket goes through it over WebSocket.
 */
let server: TestServer;
let nginx: Nginx;
const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/public/manifest.json'), 'utf8')) as Record<string, string>;

beforeAll(async () => {
  server = await startServer();
  nginx = await startNginx([new URL(server.url).host]);
});
afterAll(async () => {
  await nginx?.close();
  await server?.close();
});

function wire(path: string, acceptEncoding: string) {
  return new Promise<{ status: number; encoding: string | undefined; body: Buffer }>((resolve, reject) => {
    const req = request(`${nginx.url}${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = (body: Buffer, encoding: string | undefined): Buffer => (encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body);

describe('behind an nginx that compresses too', () => {
  it("passes the build's precompressed Brotli and gzip through untouched: one encoding, the build's bytes", async () => {
    const app = manifest['widget/app.js']!;
    const plain = readFileSync(join(ROOT, 'dist/public', app));
    const br = await wire(`/${app}`, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.encoding).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain)).toBe(true);
    const gz = await wire(`/${app}`, 'gzip');
    expect(gz.encoding).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain)).toBe(true);
  });

  it('sends the config compressed once, whoever compressed it, and the small launcher settings compressed by nginx alone', async () => {
    for (const accept of ['gzip, br', 'gzip']) {
      const config = await wire('/api/v1/sites/demo/config?lang=en', accept);
      expect(config.status).toBe(200);
      expect(['br', 'gzip']).toContain(config.encoding);
      expect((JSON.parse(decode(config.body, config.encoding).toString()) as { siteId: string }).siteId).toBe('demo');
    }
    const launcher = await wire('/api/v1/sites/demo/launcher?lang=en', 'gzip');
    expect(launcher.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(launcher.body).toString())).toMatchObject({ language: 'en', openChat: 'Open chat' });
  });

  it("carries the visitor's socket over WebSocket", async () => {
    const chat = await server.startConversation(goodAnswers);
    const socket = io(`${nginx.url}/visitor`, { auth: { token: chat.token }, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      await connected(socket);
      const joined = await socket.emitWithAck('conversation:join', { conversationId: chat.conversationId, afterSeq: 0 });
      expect(joined).toMatchObject({ ok: true });
      const sent = await socket.emitWithAck('message:send', { conversationId: chat.conversationId, clientId: crypto.randomUUID(), text: 'Through the proxy 🚪' });
      expect(sent).toMatchObject({ ok: true, data: { message: { text: 'Through the proxy 🚪' } } });
    } finally {
      socket.disconnect();
    }
  });
});
