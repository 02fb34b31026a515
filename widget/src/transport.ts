import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ConversationRating,
  FollowUpOptOut,
  Message,
  RateConversation,
  SendMessage,
  VisitorClientEvents,
  VisitorConversation,
  VisitorServerEvents,
} from '../../protocol/src/index';

/** How long an ack may take before the emit counts as lost. */
const ACK_TIMEOUT = 8000;

/** What the transport tells its owner (the widget model). */
export interface TransportEvents {
  /** Messages from a join or from `message:new`, in any order, possibly already held. */
  messages(messages: Message[]): void;
  conversation(conversation: VisitorConversation): void;
  /** The socket is connected and the conversation joined and synced: flush the outbox. */
  ready(): void;
  /** The socket dropped; emits wait for the next `ready`. */
  offline(): void;
  /** The token is dead (`unauthorized`) or the conversation is gone (`not_found`, `forbidden`). */
  rejected(code: string): void;
  /** An agent is (or stopped) typing. */
  typing?(name: string | null, typing: boolean): void;
  /** Agents have read up to `seq`; `mine` is the visitor's own mark when another tab moved it. */
  read?(seq: number, mine?: number): void;
}

export interface TransportOptions {
  origin: string;
  token: string;
  conversationId: string;
}

/**
 * The widget's one socket: connects to `/visitor`, joins the conversation on
 * every connect and pages through what it missed, re-joins when `message:new`
 * shows a gap in seq, and sends messages with an ack deadline.
 */
export function createTransport(opts: TransportOptions, on: TransportEvents) {
  const socket: Socket<VisitorServerEvents, VisitorClientEvents> = io(`${opts.origin}/visitor`, {
    // echo: false: the ack of a message:send is the sender's copy (other tabs still get message:new)
    auth: { token: opts.token, echo: false },
    // WebSocket first; where it cannot open (a proxy that refuses upgrades), long-polling on the same attempt
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  });
  // highest seq known to be complete: joins ask for what came after it
  let synced = 0;
  let joined = false;
  let syncing = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  async function join(): Promise<void> {
    if (syncing) return;
    syncing = true;
    try {
      for (;;) {
        const ack = await socket
          .timeout(ACK_TIMEOUT)
          .emitWithAck('conversation:join', { conversationId: opts.conversationId, afterSeq: synced });
        if (!ack.ok) {
          if (ack.code === 'unauthorized' || ack.code === 'not_found' || ack.code === 'forbidden') on.rejected(ack.code);
          else schedule(join);
          return;
        }
        const { conversation, messages, hasMore } = ack.data;
        on.conversation(conversation);
        on.messages(messages);
        for (const m of messages) synced = Math.max(synced, m.seq);
        if (!hasMore || messages.length === 0) {
          // seqs the visitor never sees (if any) must not read as a gap later
          synced = Math.max(synced, conversation.lastSeq);
          break;
        }
      }
      joined = true;
      on.ready();
    } catch {
      // ack lost: try again while the socket stays up; a reconnect joins anyway
      if (socket.connected) schedule(join);
    } finally {
      syncing = false;
    }
  }

  function schedule(fn: () => void, ms = 3000): void {
    clearTimeout(retry);
    retry = setTimeout(fn, ms);
  }

  socket.on('connect', () => void join());
  socket.on('disconnect', () => {
    joined = false;
    on.offline();
  });
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    if (err.data?.code === 'unauthorized') return on.rejected('unauthorized');
    // a refusal by the server's middleware is not retried by socket.io itself
    if (!socket.active) schedule(() => socket.connect(), 5000);
  });
  socket.on('message:new', (message) => {
    on.messages([message]);
    if (message.seq <= synced + 1) synced = Math.max(synced, message.seq);
    else if (joined) void join(); // missed something: resync from the last complete seq
  });
  socket.on('conversation:updated', (c) => on.conversation(c));
  socket.on('typing', (e) => e.conversationId === opts.conversationId && on.typing?.(e.name, e.typing));
  socket.on('conversation:read', (e) => e.conversationId === opts.conversationId && on.read?.(e.agentReadSeq, e.visitorReadSeq));

  /** Emits with an ack deadline: a lost ack rejects (socket.io's timeout error), a refusal is the ack itself. */
  function ask<T>(
    event: 'message:send' | 'conversation:rate' | 'conversation:read' | 'page:view' | 'followups:set' | 'conversation:transcript' | 'contact:erase',
    payload: object,
  ): Promise<Ack<T>> {
    // the event maps type each payload; this one door for both keeps the bundle from carrying two
    const timed = socket.timeout(ACK_TIMEOUT) as unknown as { emitWithAck(event: string, payload: object): Promise<Ack<T>> };
    return timed.emitWithAck(event, payload);
  }

  return {
    /** True once joined on the current connection: sends are worth trying. */
    get ready(): boolean {
      return joined && socket.connected;
    },
    /** Sends one message; rejects when no ack came in time. */
    send: (payload: SendMessage) =>
      ask<{ message: Message }>('message:send', payload).then((ack) => {
        // the server sends the sender no copy (echo: false): the ack is it, and moves the sync mark on
        if (ack.ok && ack.data.message.seq == synced + 1) synced++;
        return ack;
      }),
    /** Rates the closed conversation; rejects when no ack came in time. */
    rate: (payload: RateConversation) => ask<{ rating: ConversationRating }>('conversation:rate', payload),
    /** Typing started or stopped, with the text so far; dropped while offline (it is only news). */
    typing(typing: boolean, preview: string): void {
      if (joined && socket.connected) socket.emit('typing', { conversationId: opts.conversationId, typing, preview });
    },
    /** The visitor has seen every message up to `seq`. */
    read: (seq: number) => ask<{ seq: number }>('conversation:read', { conversationId: opts.conversationId, seq }),
    /** The page the visitor is on. */
    pageView: (url: string, title: string) => ask<{ recorded: boolean }>('page:view', { conversationId: opts.conversationId, url, title }),
    /** Opts out of follow-ups (false) or accepts them again. */
    followUps: (allow: boolean) => ask<{ optedOut: FollowUpOptOut | null }>('followups:set', { allow }),
    /** Deletes everything the site holds about this visitor (their consent withdrawn). */
    erase: () => ask<{ erased: boolean }>('contact:erase', { confirm: true }),
    /** Emails this conversation to the visitor. */
    transcript: () => ask<{ queued: boolean }>('conversation:transcript', { conversationId: opts.conversationId }),
    close(): void {
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}

export type Transport = ReturnType<typeof createTransport>;
