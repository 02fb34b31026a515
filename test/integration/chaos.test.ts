import Database from 'better-sqlite3';
import { type Socket, io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Ack, Message, SyncResult } from '../../protocol/src/index';
import { chatOnlyConfig } from '../helpers/server';
import { type Child, client, exitWithin, freePort, killChildren, startBuilt, workspace } from '../helpers/built-server';

// Runs the BUILT server (dist/server/main.js) as a child process: `npm run build` first.
// Visitors write, agents answer, while sockets are cut at random and the server is SIGKILLed and
// restarted on the same data. Each client keeps an outbox (a message leaves it only when acked,
// and is resent with the same client id after a reconnect) and resyncs what it missed from its
// last contiguous seq. At the end every message is stored once, acked, and held once by both sides.

const VISITORS = 12;
const AGENTS = 2;
const PER_VISITOR = 45; // each visitor message gets one reply: 12 × 45 × 2 = 1,080 messages
const KILLS_AT = [0.3, 0.65]; // SIGKILL once this share of the messages is acked
const MIN_CUTS = 40;
const DEADLINE_MS = 50_000;
const PASSWORD = 'another horse battery staple';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

/** Counts for the JSON line and the assertions. */
const counts = { sent: 0, acked: 0, delivered: 0, lost: 0, duplicated: 0, reordered: 0, kills: 0, cuts: 0 };
/** How the clients coped, for the log: live messages that showed a gap, acks that never came on a live socket. */
const coping = { gapResyncs: 0, timeouts: 0 };
/** Anything a client saw that should never happen: refused sends, conflicting seqs. */
const problems: string[] = [];

interface Outgoing {
  clientId: string;
  text: string;
  /** The connection (generation) it was last sent on; -1 when it waits for the next send. */
  sentOn: number;
}

interface Conversation {
  id: string;
  /** The merged view: what this side holds, by seq (live `message:new` and resyncs together). */
  view: Map<number, Message>;
  /** Highest seq up to which the view has no gap. */
  synced: number;
  outbox: Map<string, Outgoing>;
  /** Client ids in the order this side wrote them. */
  written: string[];
  /** The acks: client id → stored message. */
  acked: Map<string, Message>;
  syncing: boolean;
  again: boolean;
}

/** One socket with its conversations, outboxes and merged views; a visitor (one conversation) or an agent (several). */
class ChatClient {
  readonly conversations = new Map<string, Conversation>();
  private generation = 0;
  private ready = false;
  /** Visitor messages this agent has answered (by message id), so each gets one reply. */
  private readonly answered = new Set<string>();

  constructor(
    readonly role: 'visitor' | 'agent',
    readonly socket: Socket,
    /** How many sends of one conversation may wait for their ack at once. */
    private readonly window: number,
  ) {
    socket.on('connect', () => void this.connected(++this.generation));
    socket.on('disconnect', () => (this.ready = false));
    socket.on('message:new', (message: Message) => this.receive(message));
  }

  add(id: string): void {
    this.conversations.set(id, { id, view: new Map(), synced: 0, outbox: new Map(), written: [], acked: new Map(), syncing: false, again: false });
  }

  /** Queues a message; it stays in the outbox until acked. */
  write(conversationId: string, clientId: string, text: string): void {
    const c = this.conversations.get(conversationId) as Conversation;
    c.outbox.set(clientId, { clientId, text, sentOn: -1 });
    c.written.push(clientId);
    counts.sent += 1;
    this.pump(c);
  }

  /** Cuts the connection from this side, as a flaky network would; false when it is not up to cut. */
  cut(): boolean {
    // closing an engine that is still opening leaves socket.io-client waiting for its connect timeout
    if (!this.socket.connected) return false;
    counts.cuts += 1;
    if (Math.random() < 0.5) {
      this.socket.io.engine?.close();
    } else {
      this.socket.disconnect();
      setTimeout(() => this.socket.connect(), between(20, 150));
    }
    return true;
  }

  get idle(): boolean {
    return [...this.conversations.values()].every((c) => c.outbox.size === 0);
  }

  private async connected(generation: number): Promise<void> {
    for (const c of this.conversations.values()) await this.resync(c, generation);
    if (generation !== this.generation || !this.socket.connected) return;
    this.ready = true;
    for (const c of this.conversations.values()) this.pump(c);
  }

  /** Asks for everything after the last contiguous seq, page by page; again if a gap shows meanwhile. */
  private async resync(c: Conversation, generation: number): Promise<void> {
    if (c.syncing) {
      c.again = true;
      return;
    }
    c.syncing = true;
    try {
      do {
        c.again = false;
        for (;;) {
          const event = this.role === 'visitor' ? 'conversation:join' : 'conversation:open';
          const ack = (await this.socket.timeout(4000).emitWithAck(event, { conversationId: c.id, afterSeq: c.synced })) as Ack<SyncResult<unknown>>;
          if (!ack.ok) throw new Error(`${event}: ${ack.code} ${ack.message}`);
          this.merge(c, ack.data.messages);
          if (!ack.data.hasMore) break;
        }
      } while (c.again && generation === this.generation);
    } catch (error) {
      // the connection dropped under the resync: the next connect syncs again
      if (this.socket.connected && generation === this.generation) problems.push(`${this.role} resync: ${(error as Error).message}`);
    } finally {
      c.syncing = false;
    }
  }

  private receive(message: Message): void {
    const c = this.conversations.get(message.conversationId);
    if (!c) return;
    this.merge(c, [message]);
    // a gap: something was committed while this socket was not in the room yet
    if (this.ready && message.seq > c.synced) {
      coping.gapResyncs += 1;
      void this.resync(c, this.generation);
    }
  }

  private merge(c: Conversation, messages: Message[]): void {
    for (const m of messages) {
      const held = c.view.get(m.seq);
      if (held && held.id !== m.id) problems.push(`${this.role} got seq ${m.seq} of ${c.id} as two messages`);
      if (held) continue;
      c.view.set(m.seq, m);
      if (this.role === 'agent' && m.authorType === 'visitor' && !this.answered.has(m.id)) {
        this.answered.add(m.id);
        this.write(c.id, `r-${m.clientId}`, `re: ${m.text}`);
      }
    }
    while (c.view.has(c.synced + 1)) c.synced += 1;
  }

  private pump(c: Conversation): void {
    if (!this.ready) return;
    const generation = this.generation;
    let flying = [...c.outbox.values()].filter((o) => o.sentOn === generation).length;
    for (const o of c.outbox.values()) {
      if (flying >= this.window) return;
      if (o.sentOn === generation) continue;
      o.sentOn = generation;
      flying += 1;
      this.socket
        .timeout(4000)
        .emitWithAck('message:send', { conversationId: c.id, clientId: o.clientId, text: o.text })
        .then(
          (ack: Ack<{ message: Message }>) => {
            if (!ack.ok) {
              problems.push(`${this.role} send refused: ${ack.code} ${ack.message}`);
              o.sentOn = -1;
              setTimeout(() => this.pump(c), 200);
              return;
            }
            c.acked.set(o.clientId, ack.data.message);
            c.outbox.delete(o.clientId);
            this.pump(c);
          },
          () => {
            // no ack (the socket dropped or the server died): it stays in the outbox for the next connection
            if (o.sentOn === generation) o.sentOn = -1;
            if (this.socket.connected && generation === this.generation) {
              coping.timeouts += 1;
              setTimeout(() => this.pump(c), 50);
            }
          },
        );
    }
  }
}

const children: { server?: Child } = {};
const sockets: Socket[] = [];
let removeWorkspace = () => {};
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await killChildren();
  removeWorkspace();
});

describe('chaos: cut sockets and a killed server', () => {
  it('delivers every message exactly once, in order, to the other side, and stores every acked one once', { timeout: 90_000 }, async () => {
    const started = Date.now();
    const config = chatOnlyConfig();
    // agents answer every conversation they were given; capacity must not refuse their replies
    config.routing = { ...config.routing, defaultCapacity: 100 } as typeof config.routing;
    const ws = workspace(config);
    removeWorkspace = ws.remove;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const http = client(url);
    children.server = await startBuilt(port, ws.dataDir, ws.configFile);

    // the admin (ADMIN_EMAIL) and a second agent
    const admin = await http.login();
    const created = await http.post('/api/v1/agents', { email: 'chaos@example.com', name: 'Chaos Agent', password: PASSWORD }, { cookie: admin });
    expect(created.status, await created.clone().text()).toBe(201);
    const cookies = [admin, await http.login('chaos@example.com', PASSWORD)];

    const options = { transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 400, timeout: 3000 };
    const agents = cookies.map((cookie) => {
      const socket = io(`${url}/agent`, { ...options, extraHeaders: { cookie } });
      sockets.push(socket);
      return new ChatClient('agent', socket, 1);
    });
    const visitors: { client: ChatClient; conversationId: string }[] = [];
    for (let i = 0; i < VISITORS; i += 1) {
      const { token, conversationId } = await http.startConversation({ name: `Visitor ${i}`, email: `v${i}@example.com`, inquiryType: 'billing' });
      const socket = io(`${url}/visitor`, { ...options, auth: { token } });
      sockets.push(socket);
      const visitor = new ChatClient('visitor', socket, 3);
      visitor.add(conversationId);
      (agents[i % AGENTS] as ChatClient).add(conversationId);
      visitors.push({ client: visitor, conversationId });
    }
    const everyone = [...agents, ...visitors.map((v) => v.client)];
    const total = VISITORS * PER_VISITOR * 2;
    const ackedSoFar = () => everyone.reduce((n, c) => n + [...c.conversations.values()].reduce((m, conv) => m + conv.acked.size, 0), 0);

    // visitors write at their own pace, whatever the connection does (their outboxes fill while offline)
    const writing = Promise.all(
      visitors.map(async ({ client: visitor, conversationId }, v) => {
        for (let n = 0; n < PER_VISITOR; n += 1) {
          await sleep(between(0, 200));
          visitor.write(conversationId, `v${v}-${n}-${crypto.randomUUID().slice(0, 8)}`, `visitor ${v} message ${n}`);
        }
      }),
    );
    const done = () =>
      ackedSoFar() === total &&
      everyone.every((c) => c.idle && [...c.conversations.values()].every((conv) => conv.synced === PER_VISITOR * 2 && conv.view.size === PER_VISITOR * 2));

    // the chaos: random cuts all along, and a SIGKILL with a restart at each threshold
    let kills = [...KILLS_AT];
    // a fast run may finish its messages before it has cut enough sockets: it keeps cutting (and resyncing) until both hold
    while (!done() || counts.cuts < MIN_CUTS) {
      if (Date.now() - started > DEADLINE_MS) break;
      if (process.env.CHAOS_DEBUG) {
        const lagging = everyone.flatMap((c) => [...c.conversations.values()].filter((conv) => conv.outbox.size > 0 || conv.synced < PER_VISITOR * 2).map((conv) => `${c.role}:${conv.id.slice(0, 4)} out=${conv.outbox.size} synced=${conv.synced} view=${conv.view.size} conn=${c.socket.connected}`));
        console.log(Date.now() - started, ackedSoFar(), counts.cuts, counts.kills, lagging.length, lagging.slice(0, 3).join(' | '));
      }
      await sleep(between(30, 90));
      if (kills.length > 0 && ackedSoFar() >= (kills[0] as number) * total) {
        kills = kills.slice(1);
        children.server.process.kill('SIGKILL');
        await children.server.exited;
        counts.kills += 1;
        await sleep(between(100, 400));
        children.server = await startBuilt(port, ws.dataDir, ws.configFile);
      } else if (counts.cuts < MIN_CUTS || ackedSoFar() < total * 0.9) {
        (everyone[Math.floor(Math.random() * everyone.length)] as ChatClient).cut();
      }
    }
    await writing;
    expect(problems).toEqual([]);
    expect(done(), `not complete after ${DEADLINE_MS} ms: ${ackedSoFar()} of ${total} acked`).toBe(true);

    // a clean stop, then the store itself
    const stopping = Date.now();
    children.server.process.kill('SIGTERM');
    expect(await exitWithin(children.server, 12_000)).toEqual({ code: 0, signal: null });
    const stopMs = Date.now() - stopping;
    const db = new Database(ws.database, { readonly: true, fileMustExist: true });
    const rows = db.prepare('select id, conversation_id, client_id, seq from messages order by conversation_id, seq').all() as {
      id: string;
      conversation_id: string;
      client_id: string;
      seq: number;
    }[];
    db.close();

    for (const { client: visitor, conversationId } of visitors) {
      const agent = agents.find((a) => a.conversations.has(conversationId)) as ChatClient;
      const mine = visitor.conversations.get(conversationId) as Conversation;
      const theirs = agent.conversations.get(conversationId) as Conversation;
      const stored = rows.filter((r) => r.conversation_id === conversationId);
      const byClientId = new Map(stored.map((r) => [r.client_id, r]));

      // duplicated: a message stored (or held by a side) twice
      counts.duplicated += stored.length - new Set(stored.map((r) => r.id)).size;
      counts.duplicated += stored.length - byClientId.size;
      for (const side of [mine, theirs]) {
        const held = [...side.view.values()];
        counts.duplicated += held.length - new Set(held.map((m) => m.clientId)).size;
      }
      // reordered: a gap or a stranger in the stored seqs, or a side's own messages out of its writing order
      counts.reordered += stored.filter((r, i) => r.seq !== i + 1).length;
      for (const side of [mine, theirs]) {
        const seqs = side.written.map((id) => side.acked.get(id)?.seq ?? 0);
        counts.reordered += seqs.filter((seq, i) => i > 0 && seq <= (seqs[i - 1] as number)).length;
        counts.reordered += [...side.view.values()].filter((m) => byClientId.get(m.clientId)?.seq !== m.seq).length;
      }
      // acked and delivered: each side's messages, acked, stored, and held by the other side
      for (const [side, other] of [
        [mine, theirs],
        [theirs, mine],
      ] as const) {
        const otherHolds = new Set([...other.view.values()].map((m) => m.id));
        for (const clientId of side.written) {
          const ack = side.acked.get(clientId);
          const row = byClientId.get(clientId);
          if (ack) counts.acked += 1;
          if (!ack || !row || row.id !== ack.id || !otherHolds.has(row.id)) counts.lost += 1;
          else counts.delivered += 1;
        }
      }
    }
    console.log(JSON.stringify({ ...counts, ...coping, stopMs, ms: Date.now() - started }));
    expect(counts.sent).toBeGreaterThanOrEqual(1000);
    expect(counts).toMatchObject({ sent: total, acked: total, delivered: total, lost: 0, duplicated: 0, reordered: 0 });
    expect(counts.kills).toBeGreaterThanOrEqual(2);
    expect(counts.cuts).toBeGreaterThanOrEqual(MIN_CUTS);
    expect(rows).toHaveLength(total);
  });
});
