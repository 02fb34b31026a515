// A load-generator child process (forked by bench/run.mjs). It holds visitor
// and agent sockets and does what the parent asks over IPC:
//   { id, cmd, args } -> { id, ok, result } | { id, ok: false, error }
// Every command is bounded in count and in time. Clocks: latency is measured
// inside one process (performance.now()); cross-process windows use Date.now().
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';

const state = {
  visitors: [], // { socket, token, conversationId, lastSeq }
  agent: null, // { socket, received, receivedInWindow, onMessage }
  tag: `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`,
  counter: 0,
};

const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nextClientId = () => `b${state.tag}_${(state.counter++).toString(36).padStart(6, '0')}`;

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))),
  ]);
}

function connect(socket, ms = 20_000) {
  return withTimeout(
    new Promise((resolve, reject) => {
      if (socket.connected) return resolve();
      socket.once('connect', resolve);
      socket.once('connect_error', (e) => reject(new Error(`connect_error: ${e.message}`)));
    }),
    ms,
    'connect',
  );
}

function ack(socket, event, payload, ms = 20_000) {
  return socket.timeout(ms).emitWithAck(event, payload);
}

function percentiles(values) {
  if (values.length === 0) return { count: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (x) => Math.round(x * 100) / 100;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { count: sorted.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]), mean: round(mean) };
}

const commands = {
  /** Connects one socket per entry of `visitors` ({ token, conversationId }) and joins its conversation. */
  async connectVisitors({ url, visitors, concurrency = 50, join = true }) {
    const started = now();
    let failed = 0;
    const errors = {};
    await pool(visitors, concurrency, async (v) => {
      // echo: false, as a client that takes its ack as its copy: the server does not send it back
      const socket = io(`${url}/visitor`, { auth: { token: v.token, echo: false }, transports: ['websocket'], reconnection: false, forceNew: true });
      const entry = { socket, token: v.token, conversationId: v.conversationId, lastSeq: 0, onNew: null };
      socket.on('message:new', (m) => {
        if (m.seq > entry.lastSeq) entry.lastSeq = m.seq;
        entry.onNew?.(m);
      });
      try {
        await connect(socket);
        if (join) {
          const res = await ack(socket, 'conversation:join', { conversationId: v.conversationId, afterSeq: 0 });
          if (!res.ok) throw new Error(`join: ${res.code}`);
          for (const m of res.data.messages) if (m.seq > entry.lastSeq) entry.lastSeq = m.seq;
        }
        state.visitors.push(entry);
      } catch (e) {
        failed++;
        errors[e.message] = (errors[e.message] ?? 0) + 1;
        socket.disconnect();
      }
    });
    return { connected: state.visitors.length, failed, errors, ms: Math.round(now() - started) };
  },

  /** Connects the agent socket and opens each conversation (so it gets their `message:new`). */
  async connectAgent({ url, cookie, conversationIds }) {
    const socket = io(`${url}/agent`, { extraHeaders: { cookie }, transports: ['websocket'], reconnection: false, forceNew: true });
    const agent = { socket, received: 0, fromVisitors: 0, window: null, inWindow: 0, lastAt: 0, onMessage: null };
    socket.on('message:new', (m) => {
      agent.received++;
      if (m.authorType !== 'visitor') return;
      agent.fromVisitors++;
      const t = Date.now();
      agent.lastAt = t;
      if (agent.window && t >= agent.window[0] && t < agent.window[1]) agent.inWindow++;
      agent.onMessage?.(m);
    });
    await connect(socket);
    await pool(conversationIds, 20, async (conversationId) => {
      const res = await ack(socket, 'conversation:open', { conversationId, afterSeq: 0 });
      if (!res.ok) throw new Error(`conversation:open: ${res.code}`);
    });
    state.agent = agent;
    return { opened: conversationIds.length };
  },

  /**
   * Closed-loop throughput: from `startAt` (Date.now()) for `durationMs`, every
   * visitor keeps `window` sends in flight. Counts acks inside the window.
   */
  async throughput({ startAt, durationMs, window = 10, text = 'hello from the benchmark, a typical short chat line' }) {
    await sleep(Math.max(0, startAt - Date.now()));
    const end = startAt + durationMs;
    let sent = 0;
    let acked = 0;
    let ackedInWindow = 0;
    let failed = 0;
    const errors = {};
    const ackMs = [];
    await Promise.all(
      state.visitors.map(
        (v) =>
          new Promise((resolve) => {
            let inFlight = 0;
            const pump = () => {
              while (inFlight < window && Date.now() < end) {
                inFlight++;
                sent++;
                const t0 = now();
                v.socket.emit('message:send', { conversationId: v.conversationId, clientId: nextClientId(), text }, (res) => {
                  inFlight--;
                  if (res?.ok) {
                    acked++;
                    if (res.data.message.seq > v.lastSeq) v.lastSeq = res.data.message.seq;
                    if (Date.now() < end) ackedInWindow++;
                    if (ackMs.length < 200_000) ackMs.push(now() - t0);
                  } else {
                    failed++;
                    errors[res?.code ?? 'no_ack'] = (errors[res?.code ?? 'no_ack'] ?? 0) + 1;
                  }
                  if (Date.now() < end) pump();
                  else if (inFlight === 0) resolve();
                });
              }
            };
            pump();
          }),
      ),
    );
    return { sent, acked, ackedInWindow, failed, errors, ackMs: percentiles(ackMs) };
  },

  /** Sets the window (Date.now() bounds) inside which the agent counts deliveries. */
  async agentWindow({ startAt, durationMs }) {
    state.agent.window = [startAt, startAt + durationMs];
    state.agent.inWindow = 0;
    return {};
  },

  /** How many visitor messages the agent got; waits (bounded) until `expect` arrived. */
  async agentCount({ expect = 0, timeoutMs = 15_000 }) {
    const a = state.agent;
    const deadline = Date.now() + timeoutMs;
    while (a.fromVisitors < expect && Date.now() < deadline) await sleep(20);
    return { fromVisitors: a.fromVisitors, inWindow: a.inWindow, received: a.received };
  },

  /**
   * Open-loop latency: `rate` messages/s in total, round-robin over the visitors,
   * each sent at its scheduled time whether or not earlier ones were answered.
   * Latency = agent's `message:new` arrival - scheduled send time (so a stalled
   * server shows up as latency, not as a lower rate). Needs visitors and the
   * agent in this process (one clock).
   */
  async latency({ rate, durationMs, drainMs = 10_000 }) {
    const a = state.agent;
    const total = Math.floor((rate * durationMs) / 1000);
    const scheduled = new Float64Array(total);
    const deliverMs = [];
    const ackMs = [];
    let delivered = 0;
    let acked = 0;
    let failed = 0;
    let maxLagMs = 0;
    const errors = {};
    a.onMessage = (m) => {
      const i = Number(m.text.slice(m.text.indexOf('#') + 1, m.text.indexOf(' ')));
      if (!(i >= 0 && i < total)) return;
      delivered++;
      deliverMs.push(now() - scheduled[i]);
    };
    const start = now() + 50;
    for (let i = 0; i < total; i++) scheduled[i] = start + (i * 1000) / rate;
    let i = 0;
    await new Promise((resolve) => {
      const tick = () => {
        const t = now();
        if (i < total && scheduled[i] <= t) maxLagMs = Math.max(maxLagMs, t - scheduled[i]);
        while (i < total && scheduled[i] <= t) {
          const v = state.visitors[i % state.visitors.length];
          const k = i;
          v.socket.emit('message:send', { conversationId: v.conversationId, clientId: nextClientId(), text: `#${k} scheduled message of the latency run` }, (res) => {
            if (res?.ok) {
              acked++;
              if (res.data.message.seq > v.lastSeq) v.lastSeq = res.data.message.seq;
              ackMs.push(now() - scheduled[k]);
            } else {
              failed++;
              errors[res?.code ?? 'no_ack'] = (errors[res?.code ?? 'no_ack'] ?? 0) + 1;
            }
          });
          i++;
        }
        if (i < total) setTimeout(tick, 1);
        else resolve();
      };
      setTimeout(tick, Math.max(0, start - now()));
    });
    const deadline = Date.now() + drainMs;
    while ((delivered < total || acked + failed < total) && Date.now() < deadline) await sleep(10);
    a.onMessage = null;
    return {
      scheduled: total,
      acked,
      delivered,
      failed,
      errors,
      achievedRate: Math.round(total / ((now() - start) / 1000)),
      maxSchedulerLagMs: Math.round(maxLagMs * 100) / 100,
      deliverMs: percentiles(deliverMs),
      ackMs: percentiles(ackMs),
    };
  },

  /** The agent sends one message into each conversation; returns { conversationId: seq }. */
  async agentSend({ conversationIds }) {
    const seqs = {};
    await pool(conversationIds, 20, async (conversationId) => {
      const res = await ack(state.agent.socket, 'message:send', { conversationId, clientId: nextClientId(), text: 'sent while you were away' });
      if (!res.ok) throw new Error(`agent message:send: ${res.code}: ${res.message}`);
      seqs[conversationId] = res.data.message.seq;
    });
    return seqs;
  },

  /** Drops every visitor socket at once (the client side closes its WebSocket). */
  async disconnectAll() {
    for (const v of state.visitors) v.socket.disconnect();
    return { disconnected: state.visitors.length };
  },

  /**
   * At `startAt` every visitor socket reconnects at once and re-joins with its
   * highest seq; a socket is resynced when its join ack holds every message it
   * missed (`expect`: conversationId -> seq the agent sent while it was away).
   */
  async reconnectAll({ startAt, expect, timeoutMs = 60_000 }) {
    await sleep(Math.max(0, startAt - Date.now()));
    let resynced = 0;
    let missing = 0;
    let failed = 0;
    let replayed = 0;
    let lastDoneAt = 0;
    const errors = {};
    const doneMs = [];
    const t0 = Date.now();
    const one = async (v) => {
      try {
        v.socket.connect();
        await connect(v.socket, timeoutMs);
        const res = await ack(v.socket, 'conversation:join', { conversationId: v.conversationId, afterSeq: v.lastSeq }, timeoutMs);
        if (!res.ok) throw new Error(`join: ${res.code}`);
        const want = expect[v.conversationId];
        const seqs = res.data.messages.map((m) => m.seq);
        replayed += seqs.length;
        for (const s of seqs) if (s > v.lastSeq) v.lastSeq = s;
        if (want !== undefined && !seqs.includes(want)) missing++;
        else resynced++;
        const t = Date.now();
        lastDoneAt = Math.max(lastDoneAt, t);
        doneMs.push(t - t0);
      } catch (e) {
        failed++;
        errors[e.message] = (errors[e.message] ?? 0) + 1;
      }
    };
    await withTimeout(Promise.all(state.visitors.map(one)), timeoutMs + 5_000, 'reconnect storm');
    return { sockets: state.visitors.length, resynced, missing, failed, replayed, errors, t0, lastDoneAt, doneMs: percentiles(doneMs) };
  },

  async memory() {
    return { rss: process.memoryUsage().rss, sockets: state.visitors.length };
  },

  async close() {
    for (const v of state.visitors) v.socket.disconnect();
    state.agent?.socket.disconnect();
    state.visitors = [];
    state.agent = null;
    return {};
  },
};

process.on('message', async ({ id, cmd, args }) => {
  try {
    const result = await commands[cmd](args ?? {});
    process.send({ id, ok: true, result });
  } catch (error) {
    process.send({ id, ok: false, error: error?.stack ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
