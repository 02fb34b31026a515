import type { Attachment, AuthorType, Message } from '../../../../protocol/src/index';

/** A message as the chat shows it: confirmed by the server, or still on its way. */
export interface ChatMessage {
  /** Stable key for rendering: the client id, so a pending message keeps its node when confirmed. */
  key: string;
  clientId: string;
  id?: string;
  seq?: number;
  authorType: AuthorType;
  authorName: string | null;
  text: string;
  createdAt: string;
  state: 'sent' | 'pending' | 'failed';
  error?: string;
  attachment?: Attachment | null;
}

/** The chat's view of a server message (its other fields come along unread). */
export const fromServer = (m: Message): ChatMessage => ({ ...m, key: m.clientId || m.id, state: 'sent' });

/** The chat's view of a message still in the outbox: shown at once as "Sending…". */
export const fromOutbox = (o: { clientId: string; text: string; createdAt: string }): ChatMessage => ({
  key: o.clientId,
  clientId: o.clientId,
  authorType: 'visitor',
  authorName: null,
  text: o.text,
  createdAt: o.createdAt,
  state: 'pending',
});

/**
 * Merges server messages into the list: deduped by id, a pending message
 * replaced by the server's copy with the same client id, confirmed ones
 * sorted by seq and the ones still on their way kept last in send order.
 */
export function mergeMessages(list: ChatMessage[], incoming: Message[]): ChatMessage[] {
  if (incoming.length === 0) return list;
  const byId = new Map<string, ChatMessage>();
  const pending: ChatMessage[] = [];
  for (const m of list) {
    if (m.id) byId.set(m.id, m);
    else pending.push(m);
  }
  for (const m of incoming) byId.set(m.id, fromServer(m));
  const confirmed = [...byId.values()].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const clientIds = new Set(confirmed.map((m) => m.clientId));
  return confirmed.concat(pending.filter((m) => !clientIds.has(m.clientId)));
}
