// A bare Socket.IO relay: the baseline Parley is measured against.
//
// Same wire shape as Parley (so bench/client.mjs drives both unchanged), but
// nothing else: no validation, no store, no rules, no summaries to the inbox.
// A visitor's `message:send` gets the next in-memory seq, is forwarded to the
// agents who opened the conversation, and is acked. The only state is a Map
// of conversations with their last 100 messages, so that a re-join with
// `afterSeq` (the reconnect storm) has something to replay.
//
// env: PORT, HOST. Prints "listening <port>" on stdout when ready.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const HISTORY = 100;
/** conversationId -> { seq, history: Message[] } */
const conversations = new Map();
/** token -> contactId */
const tokens = new Map();

function conversation(id) {
  let c = conversations.get(id);
  if (!c) {
    c = { seq: 0, history: [] };
    conversations.set(id, c);
  }
  return c;
}

function readBody(req) {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => resolve(body));
  });
}

const http = createServer(async (req, res) => {
  const send = (status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  await readBody(req);
  if (req.method === 'POST' && /^\/api\/v1\/sites\/[^/]+\/conversations$/.test(req.url)) {
    const token = randomBytes(32).toString('base64url');
    const contactId = randomUUID();
    const conversationId = randomUUID();
    tokens.set(token, contactId);
    conversation(conversationId);
    return send(201, { token, contactId, conversationId });
  }
  if (req.method === 'POST' && req.url === '/api/v1/auth/login') {
    return send(200, { id: 'agent', name: 'Bench Agent' }, { 'set-cookie': `parley_sid=${randomBytes(16).toString('hex')}; Path=/; HttpOnly` });
  }
  if (req.url === '/healthz') return send(200, { status: 'ok' });
  send(404, { ok: false });
});

const io = new Server(http, {
  maxHttpBufferSize: 64 * 1024,
  perMessageDeflate: false,
  serveClient: false,
  pingInterval: 25_000,
  pingTimeout: 20_000,
  cors: { origin: true, credentials: false },
});

function append(conversationId, clientId, text, authorType) {
  const c = conversation(conversationId);
  const message = {
    id: randomUUID(),
    conversationId,
    seq: ++c.seq,
    clientId,
    authorType,
    authorName: null,
    text,
    createdAt: new Date().toISOString(),
  };
  c.history.push(message);
  if (c.history.length > HISTORY) c.history.shift();
  return message;
}

function sync(conversationId, afterSeq) {
  const c = conversation(conversationId);
  return {
    conversation: { id: conversationId, lastSeq: c.seq },
    messages: c.history.filter((m) => m.seq > (afterSeq ?? 0)),
    hasMore: false,
  };
}

const visitorNs = io.of('/visitor');
const agentNs = io.of('/agent');

visitorNs.use((socket, next) => {
  const contactId = tokens.get(socket.handshake.auth?.token);
  if (!contactId) return next(new Error('unknown visitor token'));
  socket.data = { contactId };
  next();
});
visitorNs.on('connection', (socket) => {
  socket.on('conversation:join', (payload, ack) => {
    socket.join(`v:${payload.conversationId}`);
    ack({ ok: true, data: sync(payload.conversationId, payload.afterSeq) });
  });
  socket.on('message:send', (payload, ack) => {
    const message = append(payload.conversationId, payload.clientId, payload.text, 'visitor');
    agentNs.to(`a:${payload.conversationId}`).emit('message:new', message);
    ack({ ok: true, data: { message } });
  });
});

agentNs.on('connection', (socket) => {
  socket.on('conversation:open', (payload, ack) => {
    socket.join(`a:${payload.conversationId}`);
    ack({ ok: true, data: sync(payload.conversationId, payload.afterSeq) });
  });
  socket.on('message:send', (payload, ack) => {
    const message = append(payload.conversationId, payload.clientId, payload.text, 'agent');
    visitorNs.to(`v:${payload.conversationId}`).emit('message:new', message);
    ack({ ok: true, data: { message } });
  });
});

const port = Number(process.env.PORT ?? 0);
http.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`listening ${http.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
