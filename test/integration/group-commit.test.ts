import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/src/services/clock';
import { MessageWriter } from '../../server/src/services/conversations/message-writer';
import { type TestServer, clientId, connected, startServer } from '../helpers/server';

let server: TestServer;
beforeEach(async () => {
  // bursts from one visitor at one address: the abuse limits (rate-limits.test.ts) would stop them
  server = await startServer(undefined, { rateLimits: false });
});
afterEach(async () => {
  await server.close();
});

describe('group commit', () => {
  it('commits a burst of messages in a few transactions, numbered without gaps, each acked', async () => {
    const { token, contactId, conversationId } = await server.startConversation();
    const writer = new MessageWriter(server.parley.db, systemClock);
    const author = { type: 'visitor' as const, contactId, name: 'Ana' };
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => writer.append({ conversationId, clientId: `burst-${i}-xxxx`, text: `m${i}`, author })),
    );
    expect(results.map((r) => r.message.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(writer.stats.written).toBe(100);
    expect(writer.stats.commits).toBeLessThanOrEqual(2);

    // the messages are really there, and a visitor socket reads them all back
    const visitor = server.visitorSocket(token as string);
    await connected(visitor);
    const sync = await visitor.emitWithAck('conversation:join', { conversationId, afterSeq: 0 });
    if (!sync.ok) throw new Error(sync.message);
    expect(sync.data.messages).toHaveLength(100);
  });

  it('answers a repeated client id in the same batch with the first message, and refuses a foreign visitor without failing the rest', async () => {
    const ana = await server.startConversation();
    const bob = await server.startConversation({ name: 'Bob', email: 'bob@example.com', inquiryType: 'other' });
    const writer = new MessageWriter(server.parley.db, systemClock);
    const asAna = { type: 'visitor' as const, contactId: ana.contactId, name: 'Ana' };
    const asBob = { type: 'visitor' as const, contactId: bob.contactId, name: 'Bob' };
    const settled = await Promise.allSettled([
      writer.append({ conversationId: ana.conversationId, clientId: 'same-id-123', text: 'first', author: asAna }),
      writer.append({ conversationId: ana.conversationId, clientId: 'same-id-123', text: 'second', author: asAna }),
      writer.append({ conversationId: ana.conversationId, clientId: 'bob-intrudes', text: 'hi', author: asBob }),
      writer.append({ conversationId: 'no-such-conversation', clientId: 'lost-message', text: 'hi', author: { type: 'bot', name: 'Bot' } }),
      writer.append({ conversationId: ana.conversationId, clientId: 'after-errors', text: 'third', author: asAna }),
    ]);
    const [first, second, intruder, missing, after] = settled;
    if (first.status !== 'fulfilled' || second.status !== 'fulfilled' || after.status !== 'fulfilled') throw new Error('appends failed');
    expect(second.value.message).toEqual(first.value.message);
    expect(second.value.created).toBe(false);
    expect(intruder).toMatchObject({ status: 'rejected', reason: { code: 'forbidden' } });
    expect(missing).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
    expect(after.value.message.seq).toBe(2);
    const rows = await server.parley.db.selectFrom('messages').select(['client_id', 'seq']).orderBy('seq').execute();
    expect(rows).toEqual([
      { client_id: 'same-id-123', seq: 1 },
      { client_id: 'after-errors', seq: 2 },
    ]);
  });

  it('acks concurrent sockets only after their batch committed, with every message readable', async () => {
    const { token, conversationId } = await server.startConversation();
    const sockets = Array.from({ length: 5 }, () => server.visitorSocket(token as string));
    await Promise.all(sockets.map(connected));
    const acks = await Promise.all(
      sockets.flatMap((s, i) => Array.from({ length: 10 }, (_, j) => s.emitWithAck('message:send', { conversationId, clientId: clientId(), text: `${i}:${j}` }))),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    const seqs = acks.map((a) => (a.ok ? a.data.message.seq : 0)).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const stored = await server.parley.db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).execute();
    expect(stored).toHaveLength(50);
  });
});
