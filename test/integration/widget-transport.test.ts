import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin, RollupOptions } from 'rollup';
import { rollup } from 'rollup';
import { type Socket, io as originalIo } from 'socket.io-client';
import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/src/index';
import type { createTransport as CreateTransport, TransportEvents } from '../../widget/src/transport';
import { type TestServer, clientId, connected, nextEvent, startServer } from '../helpers/server';

/**
 * The widget's socket stack as the browser gets it: widget/src/transport.ts bundled with the widget
 * build's plugins (engine.io-client with WebSocket and fetch polling only, the lean codecs of
 * widget/src/lean/), run against a real server. Node has no browser WebSocket, so each case
 * installs the one it needs before it loads the bundle.
 */

interface Bundle {
  createTransport: typeof CreateTransport;
  io: (url: string, opts: Record<string, unknown>) => Socket;
}

const ENTRY = '\0widget-transport-entry';
const ROOT = join(import.meta.dirname, '../..');
let outDir: string;
let bundleFile: string;
let server: TestServer;
let loads = 0;

/** Loads a fresh copy of the bundle, so it captures the WebSocket installed right now. */
async function load(webSocket: unknown): Promise<Bundle> {
  (globalThis as { WebSocket?: unknown }).WebSocket = webSocket;
  loads += 1;
  return (await import(`${pathToFileURL(bundleFile).href}?copy=${loads}`)) as Bundle;
}

/** A WebSocket that a proxy refuses: it errors and closes right after it is made. */
class RefusedWebSocket {
  static made = 0;
  onerror: ((e: unknown) => void) | null = null;
  onclose: ((e: unknown) => void) | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((e: unknown) => void) | null = null;
  binaryType = 'arraybuffer';
  constructor() {
    RefusedWebSocket.made += 1;
    setTimeout(() => {
      this.onerror?.(new Error('refused'));
      this.onclose?.({ code: 1006 });
    }, 5);
  }
  send(): void {}
  close(): void {}
}

function transportNames(): string[] {
  return [...server.parley.io.of('/visitor').sockets.values()].map((s) => s.conn.transport.name);
}

/** Starts a transport and resolves once it is joined and synced, with what it received. */
function ready(bundle: Bundle, token: string, conversationId: string) {
  const received: Message[] = [];
  return new Promise<{ transport: ReturnType<typeof CreateTransport>; received: Message[] }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the transport never got ready')), 10_000);
    const events: TransportEvents = {
      messages: (m) => received.push(...m),
      conversation: () => {},
      ready: () => {
        clearTimeout(timer);
        resolve({ transport, received });
      },
      offline: () => {},
      rejected: (code) => reject(new Error(`rejected: ${code}`)),
    };
    const transport = bundle.createTransport({ origin: server.url, token, conversationId }, events);
  });
}

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'parley-widget-transport-'));
  const { default: configs } = (await import(pathToFileURL(join(ROOT, 'rollup.config.mjs')).href)) as { default: RollupOptions[] };
  const app = configs.find((c) => JSON.stringify(c.input).includes('widget/src/app'));
  if (!app) throw new Error('no widget app bundle in rollup.config.mjs');
  const entry: Plugin = {
    name: 'entry',
    resolveId: (id) => (id === ENTRY ? id : null),
    load: (id) =>
      id === ENTRY
        ? `export { createTransport } from ${JSON.stringify(join(ROOT, 'widget/src/transport.ts'))};\nexport { io } from 'socket.io-client';\n`
        : null,
  };
  const plugins = (app.plugins as Plugin[]).filter((p) => p.name !== 'terser');
  const build = await rollup({ input: ENTRY, treeshake: app.treeshake, plugins: [entry, ...plugins], onwarn: () => {} });
  const { output } = await build.write({ dir: outDir, format: 'es', entryFileNames: 'transport.mjs' });
  bundleFile = join(outDir, output[0].fileName);
  server = await startServer();
}, 60_000);

afterAll(async () => {
  delete (globalThis as { WebSocket?: unknown }).WebSocket;
  await server?.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe("the widget's socket stack, as built for the browser", () => {
  it('connects over WebSocket first, then joins, sends and receives with the lean codecs', async () => {
    const bundle = await load(NodeWebSocket);
    const { token, conversationId } = await server.startConversation();
    const { transport } = await ready(bundle, token as string, conversationId);
    expect(transportNames()).toEqual(['websocket']);

    const sent = await transport.send({ conversationId, clientId: clientId(), text: 'Hola 👋 <b>html</b>, "quotes", 12/3' });
    expect(sent).toMatchObject({ ok: true, data: { message: { seq: 1, text: 'Hola 👋 <b>html</b>, "quotes", 12/3' } } });
    transport.close();
  });

  it('falls back to long-polling on the same attempt when WebSocket is refused', async () => {
    const bundle = await load(RefusedWebSocket);
    const { token, conversationId } = await server.startConversation();
    const before = RefusedWebSocket.made;
    const { transport } = await ready(bundle, token as string, conversationId);
    expect(RefusedWebSocket.made).toBeGreaterThan(before);
    expect(transportNames()).toEqual(['polling']);

    const sent = await transport.send({ conversationId, clientId: clientId(), text: 'sent over polling' });
    expect(sent).toMatchObject({ ok: true, data: { message: { text: 'sent over polling' } } });

    // an agent's reply arrives over polling too
    const cookie = await server.login();
    const agent = server.agentSocket(cookie);
    await connected(agent);
    const opened = await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    expect(opened.ok).toBe(true);
    const second = await ready(bundle, token as string, conversationId);
    const reply = nextEvent<Message>(agent, 'message:new', (m) => m.text === 'Reply over polling');
    await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'Reply over polling' });
    await reply;
    await expect.poll(() => second.received.map((m) => m.text), { timeout: 5000 }).toContain('Reply over polling');
    second.transport.close();
    transport.close();
  });

  it('works with long-polling only, the way a forced-polling client connects', async () => {
    const bundle = await load(undefined);
    const { token, conversationId } = await server.startConversation();
    const socket = bundle.io(`${server.url}/visitor`, { auth: { token }, transports: ['polling'], forceNew: true, reconnection: false });
    await connected(socket);
    expect(transportNames()).toEqual(['polling']);
    const joined = await socket.timeout(5000).emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
    expect(joined).toMatchObject({ ok: true, data: { conversation: { id: conversationId } } });
    const sent = await socket.timeout(5000).emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'x'.repeat(3000) });
    expect(sent).toMatchObject({ ok: true, data: { message: { text: 'x'.repeat(3000) } } });
    socket.disconnect();
  });

  it('reports a dead token as a refused connection, not as an endless retry', async () => {
    const bundle = await load(NodeWebSocket);
    const { conversationId } = await server.startConversation();
    const code = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no rejection')), 10_000);
      const t = bundle.createTransport(
        { origin: server.url, token: 'not-a-real-token', conversationId },
        {
          messages: () => {},
          conversation: () => {},
          ready: () => reject(new Error('a dead token got ready')),
          offline: () => {},
          rejected: (c) => {
            clearTimeout(timer);
            t.close();
            resolve(c);
          },
        },
      );
    });
    expect(code).toBe('unauthorized');
  });
});

/**
 * widget/src/lean/socket-io-client.ts stands in for socket.io-client in the widget build: every call
 * the widget makes must behave as the original's does. Each case runs against socket.io-client
 * itself (Node, over the ws package) and against the stand-in as built for the browser.
 */
type Io = (url: string, opts: Record<string, unknown>) => Socket;
const clients: [string, () => Promise<Io>][] = [
  ['socket.io-client 4.8.4', async () => originalIo as unknown as Io],
  ['the lean stand-in', async () => (await load(NodeWebSocket)).io],
];

/** The server's side of the visitor socket that connected with `token`. */
function serverSide(token: string) {
  return [...server.parley.io.of('/visitor').sockets.values()].find((s) => (s.handshake.auth as { token?: string }).token === token);
}

function events(socket: Socket): string[] {
  const seen: string[] = [];
  for (const name of ['connect', 'disconnect', 'connect_error'])
    socket.on(name as 'connect', (...args: unknown[]) => {
      const first = args[0];
      seen.push(name === 'disconnect' ? `${name}:${first}` : name === 'connect_error' ? `${name}:${(first as { data?: { code?: string } }).data?.code ?? 'engine'}` : name);
    });
  return seen;
}

describe.each(clients)('%s, as the widget calls it', (_name, client) => {
  const opts = (token: string) => ({ auth: { token }, transports: ['websocket', 'polling'], tryAllTransports: true });

  it('connects with its auth, acks an emit, and hands server events to their listeners', async () => {
    const io = await client();
    const { token, conversationId } = await server.startConversation();
    const socket = io(`${server.url}/visitor`, opts(token as string));
    const seen = events(socket);
    await connected(socket);
    expect(socket.connected).toBe(true);
    expect(serverSide(token as string)).toBeDefined();
    const joined = await socket.timeout(5000).emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
    expect(joined).toMatchObject({ ok: true, data: { conversation: { id: conversationId } } });

    const arrived = new Promise<Message>((resolve) => socket.on('message:new', resolve));
    const sent = await socket.timeout(5000).emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'Привет, <i>x</i> 🌍' });
    expect(sent).toMatchObject({ ok: true, data: { message: { text: 'Привет, <i>x</i> 🌍' } } });
    // an agent's message reaches the visitor's listener
    const cookie = await server.login();
    const agent = server.agentSocket(cookie);
    await connected(agent);
    await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    await agent.emitWithAck('message:send', { conversationId, clientId: clientId(), text: 'From the agent' });
    const fromAgent = await Promise.race([arrived, new Promise<Message>((resolve) => socket.on('message:new', (m: Message) => m.text === 'From the agent' && resolve(m)))]);
    expect(typeof fromAgent.seq).toBe('number');
    agent.disconnect();
    socket.disconnect();
    expect(socket.connected).toBe(false);
    expect(seen).toEqual(['connect', 'disconnect:io client disconnect']);
    await expect.poll(() => serverSide(token as string)).toBeUndefined();
  });

  it('rejects an ack that does not come in time', async () => {
    const io = await client();
    const { token } = await server.startConversation();
    const socket = io(`${server.url}/visitor`, opts(token as string));
    await connected(socket);
    // an event the server does not know is never acked
    await expect(socket.timeout(300).emitWithAck('no:such-event', { x: 1 })).rejects.toThrow('operation has timed out');
    socket.disconnect();
  });

  it('tells a dead token by connect_error with the server data, and does not retry by itself', async () => {
    const io = await client();
    const socket = io(`${server.url}/visitor`, opts('not-a-real-token'));
    const seen = events(socket);
    await expect.poll(() => seen).toEqual(['connect_error:unauthorized']);
    expect(socket.active).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen).toEqual(['connect_error:unauthorized']);
    socket.disconnect();
  });

  it('reconnects by itself when the connection drops, fails the acks in flight, and sends what was emitted meanwhile', async () => {
    const io = await client();
    const { token, conversationId } = await server.startConversation();
    const socket = io(`${server.url}/visitor`, opts(token as string));
    const seen = events(socket);
    await connected(socket);
    const inFlight = socket.timeout(10_000).emitWithAck('no:such-event', {});
    serverSide(token as string)?.conn.close();
    await expect(inFlight).rejects.toThrow('socket has been disconnected');
    expect(socket.connected).toBe(false);
    expect(socket.active).toBe(true);
    // emitted while offline: waits in the buffer and goes out on the next connect
    const later = socket.timeout(10_000).emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
    await expect(later).resolves.toMatchObject({ ok: true });
    expect(seen).toEqual(['connect', 'disconnect:transport close', 'connect']);
    socket.disconnect();
  });

  it('stays disconnected when the server disconnects it, until connect() is called', async () => {
    const io = await client();
    const { token } = await server.startConversation();
    const socket = io(`${server.url}/visitor`, opts(token as string));
    const seen = events(socket);
    await connected(socket);
    serverSide(token as string)?.disconnect();
    await expect.poll(() => seen).toEqual(['connect', 'disconnect:io server disconnect']);
    expect(socket.active).toBe(false);
    await new Promise((r) => setTimeout(r, 1500));
    expect(socket.connected).toBe(false);
    socket.connect();
    await expect.poll(() => socket.connected).toBe(true);
    expect(seen).toEqual(['connect', 'disconnect:io server disconnect', 'connect']);
    socket.disconnect();
  });

  it('drops a connection that speaks something else, and connects again', async () => {
    const io = await client();
    const { token } = await server.startConversation();
    const socket = io(`${server.url}/visitor`, opts(token as string));
    const seen = events(socket);
    await connected(socket);
    // a packet that is not JSON: a parse error for both, which drops the connection
    serverSide(token as string)?.conn.send('2/visitor,["x"');
    await expect.poll(() => seen, { timeout: 8000 }).toEqual(['connect', 'disconnect:parse error', 'connect']);
    socket.disconnect();
  });
});
