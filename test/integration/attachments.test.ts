import { afterEach, describe, expect, it } from 'vitest';
import type { Message, Problem } from '../../protocol/src/index';
import { type TestServer, chatOnlyConfig, clientId, connected, nextEvent, startServer } from '../helpers/server';
import { exeBytes, htmlBytes, jpegBytes, pdfBytes, pngBytes, svgBytes } from '../fixtures/attachment-files';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

async function start(maxBytes?: number) {
  const config = chatOnlyConfig();
  if (maxBytes) config.attachments = { ...config.attachments, maxBytes };
  server = await startServer(config);
  const cookie = await server.login();
  const started = await server.startConversation();
  return { cookie, token: started.token as string, conversationId: started.conversationId };
}

interface Upload {
  bytes: Uint8Array;
  name?: string;
  type?: string;
  clientId?: string;
  headers?: Record<string, string>;
}

function uploadAs(auth: { cookie?: string; token?: string }, conversationId: string, upload: Upload) {
  const path = auth.token ? `/api/v1/visitor/conversations/${conversationId}/attachments` : `/api/v1/conversations/${conversationId}/attachments`;
  const headers: Record<string, string> = { 'content-type': upload.type ?? 'application/octet-stream', ...upload.headers };
  if (upload.name !== undefined) headers['x-file-name'] = encodeURIComponent(upload.name);
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  return fetch(`${server.url}${path}?clientId=${upload.clientId ?? clientId()}`, { method: 'POST', headers, body: upload.bytes as Uint8Array<ArrayBuffer> });
}

const download = (id: string, auth: { cookie?: string; token?: string }) =>
  fetch(`${server.url}/api/v1/attachments/${id}`, {
    headers: { ...(auth.cookie ? { cookie: auth.cookie } : {}), ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}) },
  });

const attachmentRows = () => server.parley.db.selectFrom('attachments').selectAll().execute();
const messageRows = () => server.parley.db.selectFrom('messages').selectAll().execute();

describe('uploading attachments', () => {
  it('lets the visitor attach a PNG that the agent receives live and can download with safe headers', async () => {
    const { cookie, token, conversationId } = await start();
    const agent = server.agentSocket(cookie);
    await connected(agent);
    await agent.emitWithAck('conversation:open', { conversationId, afterSeq: 0 });
    const live = nextEvent<Message>(agent, 'message:new', (m) => !!m.attachment);
    const png = pngBytes();
    const res = await uploadAs({ token }, conversationId, { bytes: png, name: 'receipt.png', type: 'image/png' });
    expect(res.status).toBe(201);
    const { message } = (await res.json()) as { message: Message };
    const attachment = message.attachment;
    expect(message).toMatchObject({ text: 'receipt.png', authorType: 'visitor', conversationId });
    expect(attachment).toMatchObject({ name: 'receipt.png', type: 'image/png', size: png.length });
    expect(attachment?.url).toBe(`/api/v1/attachments/${attachment?.id}`);
    expect(attachment?.thumbnailUrl).toBe(attachment?.url);
    expect((await live).attachment?.id).toBe(attachment?.id);

    const got = await download(attachment?.id as string, { cookie });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-disposition')).toBe(`inline; filename="receipt.png"; filename*=UTF-8''receipt.png`);
    expect(got.headers.get('cache-control')).toMatch(/^private/);
    expect(got.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(Buffer.from(await got.arrayBuffer()).equals(png)).toBe(true);
    // the visitor fetches its own file with its token
    expect((await download(attachment?.id as string, { token })).status).toBe(200);
  });

  it('lets an agent attach a JPEG and a PDF that the visitor receives live; a PDF downloads as a file without thumbnail', async () => {
    const { cookie, token, conversationId } = await start();
    const visitor = server.visitorSocket(token);
    await connected(visitor);
    await visitor.emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
    const live = nextEvent<Message>(visitor, 'message:new', (m) => m.attachment?.type === 'application/pdf');
    const jpeg = await uploadAs({ cookie }, conversationId, { bytes: jpegBytes(), name: 'photo.jpg', type: 'image/jpeg' });
    expect(jpeg.status).toBe(201);
    expect(((await jpeg.json()) as { message: Message }).message).toMatchObject({ authorType: 'agent', authorName: 'Alex Agent', attachment: { type: 'image/jpeg' } });
    const pdf = await uploadAs({ cookie }, conversationId, { bytes: pdfBytes(), name: 'Invoice 2024 €.pdf', type: 'application/pdf' });
    expect(pdf.status).toBe(201);
    const heard = await live;
    expect(heard.attachment).toMatchObject({ name: 'Invoice 2024 €.pdf', type: 'application/pdf', thumbnailUrl: null });
    const got = await download(heard.attachment?.id as string, { token });
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="Invoice 2024 _.pdf"; filename*=UTF-8''Invoice%202024%20%E2%82%AC.pdf`);
  });

  it.each([
    ['PDF bytes', pdfBytes(), 'image/png'],
    ['HTML bytes', htmlBytes(), 'image/png'],
    ['Windows executable bytes', exeBytes(), 'application/octet-stream'],
    ['SVG with a script', svgBytes(), 'image/svg+xml'],
  ])('refuses a file named .png holding %s with 415, whatever its Content-Type says, and stores nothing', async (_what, bytes, type) => {
    const { cookie, conversationId } = await start();
    const res = await uploadAs({ cookie }, conversationId, { bytes, name: 'picture.png', type });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await res.json()) as Problem;
    expect(problem).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    expect(problem.detail).toMatch(/not an allowed type: send PNG, JPEG, GIF, WEBP, PDF|is a PDF, but its name "picture.png" says otherwise/);
    expect(await attachmentRows()).toHaveLength(0);
    expect(await messageRows()).toHaveLength(0);
  });

  it('refuses a PDF when the site allows only images', async () => {
    const config = chatOnlyConfig();
    config.attachments = { maxBytes: 1024 * 1024, types: ['image/png'] };
    server = await startServer(config);
    const cookie = await server.login();
    const { conversationId } = await server.startConversation();
    const res = await uploadAs({ cookie }, conversationId, { bytes: pdfBytes(), name: 'a.pdf', type: 'application/pdf' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as Problem).detail).toMatch(/send PNG$/);
  });

  it('refuses a file over the configured size with 413 and stores nothing, whether or not it declares its length', async () => {
    const { cookie, token, conversationId } = await start(2048);
    const big = Buffer.concat([pngBytes(), Buffer.alloc(4096)]);
    const res = await uploadAs({ token }, conversationId, { bytes: big, name: 'big.png', type: 'image/png' });
    expect(res.status).toBe(413);
    expect((await res.json()) as Problem).toMatchObject({ code: 'payload_too_large', detail: 'the file is larger than 2 KB' });
    // a streamed body carries no Content-Length: the parser's limit must catch it
    const streamed = await fetch(`${server.url}/api/v1/conversations/${conversationId}/attachments?clientId=${clientId()}`, {
      method: 'POST',
      headers: { cookie, 'x-file-name': 'big.png', 'content-type': 'image/png' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await attachmentRows()).toHaveLength(0);
    expect(await messageRows()).toHaveLength(0);
    // just under the limit still passes
    expect((await uploadAs({ token }, conversationId, { bytes: pngBytes(4), name: 'small.png' })).status).toBe(201);
  });

  it('returns the first message for a repeated client id and stores the file once', async () => {
    const { token, conversationId } = await start();
    const id = clientId();
    const first = await uploadAs({ token }, conversationId, { bytes: pngBytes(), name: 'a.png', clientId: id });
    const again = await uploadAs({ token }, conversationId, { bytes: pdfBytes(), name: 'other.pdf', clientId: id });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const a = (await first.json()) as { message: Message };
    const b = (await again.json()) as { message: Message };
    expect(b.message).toEqual(a.message);
    expect(await attachmentRows()).toHaveLength(1);
    expect(await messageRows()).toHaveLength(1);
  });

  it('stores a name with a script tag and a right-to-left override sanitized, as text', async () => {
    const { cookie, conversationId } = await start();
    const res = await uploadAs({ cookie }, conversationId, { bytes: pngBytes(), name: '<img src=x onerror=alert(1)>\u202Efdp.png' });
    const { message } = (await res.json()) as { message: Message };
    expect(message.attachment?.name).toBe('<img src=x onerror=alert(1)>fdp.png');
    // a PNG named like an executable is refused rather than shown under a lying name
    const spoof = await uploadAs({ cookie }, conversationId, { bytes: pngBytes(), name: 'photo\u202Egnp.exe' });
    expect(spoof.status).toBe(415);
    expect(((await spoof.json()) as Problem).detail).toBe('this file is a PNG, but its name "photognp.exe" says otherwise');
    // a name without extension gains the detected type's
    const bare = await uploadAs({ cookie }, conversationId, { bytes: pdfBytes(), name: 'scan' });
    expect(((await bare.json()) as { message: Message }).message.attachment?.name).toBe('scan.pdf');
    expect(message.text).toBe(message.attachment?.name);
    const huge = await uploadAs({ cookie }, conversationId, { bytes: pngBytes(), name: `${'ж'.repeat(400)}.png` });
    const hugeName = ((await huge.json()) as { message: Message }).message.attachment?.name ?? '';
    expect([...hugeName]).toHaveLength(200);
    expect(hugeName.endsWith('.png')).toBe(true);
  });

  it('refuses an upload without a file name header, without a client id, or empty', async () => {
    const { cookie, conversationId } = await start();
    expect((await uploadAs({ cookie }, conversationId, { bytes: pngBytes() })).status).toBe(422);
    const noClient = await fetch(`${server.url}/api/v1/conversations/${conversationId}/attachments`, {
      method: 'POST',
      headers: { cookie, 'x-file-name': 'a.png' },
      body: pngBytes() as Uint8Array<ArrayBuffer>,
    });
    expect(noClient.status).toBe(422);
    expect((await uploadAs({ cookie }, conversationId, { bytes: new Uint8Array(), name: 'empty.png' })).status).toBe(422);
    expect((await uploadAs({ cookie }, 'no-such-conversation', { bytes: pngBytes(), name: 'a.png' })).status).toBe(404);
    expect(await attachmentRows()).toHaveLength(0);
  });
});

describe('who may upload and download', () => {
  it('answers 401 to uploads and downloads without credentials or with a bad token', async () => {
    const { token, conversationId } = await start();
    expect((await uploadAs({}, conversationId, { bytes: pngBytes(), name: 'a.png' })).status).toBe(401);
    // nobody unknown gets as far as the body: a file over the limit is still a 401, not a 413
    expect((await uploadAs({}, conversationId, { bytes: new Uint8Array(11 * 1024 * 1024), name: 'big.png' })).status).toBe(401);
    expect((await uploadAs({ token: 'x'.repeat(43) }, conversationId, { bytes: pngBytes(), name: 'a.png' })).status).toBe(401);
    const ok = await uploadAs({ token }, conversationId, { bytes: pngBytes(), name: 'a.png' });
    const id = ((await ok.json()) as { message: Message }).message.attachment?.id as string;
    expect((await download(id, {})).status).toBe(401);
    expect((await download(id, { token: 'y'.repeat(43) })).status).toBe(401);
    expect((await download(id, { cookie: 'parley_session=forged' })).status).toBe(401);
    expect(await attachmentRows()).toHaveLength(1);
  });

  it('keeps another visitor from uploading to the conversation (403) or downloading its files (404)', async () => {
    const { token, conversationId } = await start();
    const other = await server.startConversation({ name: 'Bo', email: 'bo@example.com', inquiryType: 'billing' });
    const refused = await uploadAs({ token: other.token as string }, conversationId, { bytes: pngBytes(), name: 'a.png' });
    expect(refused.status).toBe(403);
    const ok = await uploadAs({ token }, conversationId, { bytes: pngBytes(), name: 'mine.png' });
    const id = ((await ok.json()) as { message: Message }).message.attachment?.id as string;
    const peek = await download(id, { token: other.token as string });
    expect(peek.status).toBe(404);
    // the same answer as for a file that does not exist
    expect((await download('00000000-0000-0000-0000-000000000000', { token: other.token as string })).status).toBe(404);
    expect((await download('../../etc/passwd', { token })).status).toBe(404);
    expect(await attachmentRows()).toHaveLength(1);
  });

  it('answers the widget cross-origin only for origins the site allows', async () => {
    const { token, conversationId } = await start();
    const preflight = await fetch(`${server.url}/api/v1/visitor/conversations/${conversationId}/attachments`, {
      method: 'OPTIONS',
      headers: { origin: server.url, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,x-file-name' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-File-Name/);
    const evil = await fetch(`${server.url}/api/v1/visitor/conversations/${conversationId}/attachments`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const res = await uploadAs({ token }, conversationId, { bytes: pngBytes(), name: 'a.png', headers: { origin: server.url } });
    expect(res.headers.get('access-control-allow-origin')).toBe(server.url);
  });
});
