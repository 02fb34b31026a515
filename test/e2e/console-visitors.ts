import { type Socket, io } from 'socket.io-client';
import type { Ack, Message, StartConversationResult, VisitorClientEvents, VisitorServerEvents } from '../../protocol/src/index';
import { baseURL } from '../../playwright.config';

type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

/** A visitor started through the public API, with a real socket to write on. */
export interface TestVisitor {
  conversationId: string;
  name: string;
  say(text: string): Promise<Message>;
  close(): void;
}

/**
 * Starts a conversation on `site` as a visitor would (the survey's answers
 * and consent over REST), then says `first` on the visitor's socket. Much
 * quicker than driving the widget when a spec is about the console.
 */
export async function startVisitor(site: string, answers: Record<string, unknown>, first: string): Promise<TestVisitor> {
  const res = await fetch(`${baseURL}/api/v1/sites/${site}/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answers, consent: true, pageUrl: `${baseURL}/`, timeZone: 'Europe/Madrid' }),
  });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${await res.text()}`);
  const started = (await res.json()) as StartConversationResult;
  const socket: VisitorSocket = io(`${baseURL}/visitor`, { auth: { token: started.token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  await socket.timeout(5000).emitWithAck('conversation:join', { conversationId: started.conversationId, afterSeq: 0 });
  const say = async (text: string): Promise<Message> => {
    const ack = (await socket.timeout(5000).emitWithAck('message:send', { conversationId: started.conversationId, clientId: crypto.randomUUID(), text })) as Ack<{ message: Message }>;
    if (!ack.ok) throw new Error(ack.message);
    return ack.data.message;
  };
  await say(first);
  return { conversationId: started.conversationId, name: String(answers.name ?? ''), say, close: () => socket.disconnect() };
}

/** A name no earlier spec used. */
export const unique = (prefix: string): string => `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** Starts `count` conversations over REST only (no socket, no message), ten at a time. */
export async function startMany(site: string, count: number, prefix: string): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, async (_, j) => {
        const res = await fetch(`${baseURL}/api/v1/sites/${site}/conversations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ answers: { name: `${prefix} ${String(i + j).padStart(3, '0')}`, email: `bulk${i + j}@example.com`, inquiryType: 'other' }, consent: true }),
        });
        if (res.status !== 201) throw new Error(`start failed: ${res.status} ${await res.text()}`);
      }),
    );
  }
}
