import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import * as v from 'valibot';
import { ClientIdSchema, ErrorCode, type Message, MessageTextSchema } from '../../../protocol/src/index';
import { AppError, parseOrThrow } from '../errors';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import type { ConversationService } from '../services/conversations/conversation-service';
import type { ConsoleServices } from '../services/conversations/index';
import type { OutboundConversations } from '../services/conversations/outbound';
import type { Db } from '../store/db';
import { webhookContact } from '../services/webhooks/payloads';
import { requireAgent, requireJson } from './auth-routes';

/** `POST /conversations/:id/messages`: as the key's (or session's) agent, or as the site's bot. */
export const ApiMessageSchema = v.object({
  text: MessageTextSchema,
  clientId: v.optional(ClientIdSchema),
  /** `agent` (default): the agent the key belongs to, who claims an unassigned conversation; `bot`: an automated message (an order status, a notice). */
  as: v.optional(v.picklist(['agent', 'bot'], 'expected agent or bot'), 'agent'),
  /** The name the visitor sees above a bot message. */
  botName: v.optional(v.pipe(v.string('expected text'), v.trim(), v.minLength(1, 'expected a name'), v.maxLength(80, 'a name may have at most 80 characters'))),
});

const ContactQuerySchema = v.object({
  email: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(320), v.toLowerCase())),
  externalId: v.optional(v.pipe(v.string(), v.maxLength(200))),
  siteId: v.optional(v.pipe(v.string(), v.maxLength(64))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(300))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'expected 1 to 100'), v.transform(Number), v.minValue(1, 'expected 1 to 100'), v.maxValue(100, 'expected 1 to 100')), '50'),
});

/** A contacts page's position: the last contact's creation time and id, opaque to clients. */
const encodeCursor = (createdAt: string, id: string) => Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((x) => typeof x === 'string')) return value as [string, string];
  } catch {
    // below
  }
  throw new AppError(ErrorCode.InvalidPayload, 'cursor: not one this API gave', [{ path: 'cursor', message: 'not one this API gave' }]);
}

/**
 * What programs do besides the console's actions (docs/API.md): write messages (as an agent or as
 * the bot), start an outbound conversation with a contact, and find and read contacts.
 */
export function programRoutes(deps: {
  auth: AuthService;
  db: Db;
  services: ConsoleServices;
  conversations: ConversationService;
  outbound: OutboundConversations;
  reply(agent: AgentIdentity, payload: unknown): Promise<Message>;
}): Router {
  const router = Router();
  const agent = requireAgent(deps.auth);
  const me = (req: { agent?: unknown }) => req.agent as AgentIdentity;
  const body = (req: { body?: unknown }): Record<string, unknown> => (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {});
  const idempotent = (req: { body?: unknown; get(name: string): string | undefined }) => body(req).clientId ?? req.get('idempotency-key');

  router.post('/conversations', agent, requireJson, async (req, res) => {
    const clientId = idempotent(req);
    const started = await deps.outbound.start(me(req), { ...body(req), ...(clientId ? { clientId } : {}) });
    res.status(started.created ? 201 : 200).json({ conversation: started.conversation, message: started.message });
  });

  // a retried POST with the same Idempotency-Key (or clientId) stores the message once
  router.post('/conversations/:id/messages', agent, requireJson, async (req, res) => {
    const input = parseOrThrow(ApiMessageSchema, { ...body(req), clientId: idempotent(req) ?? randomUUID() });
    const conversationId = String(req.params.id);
    let message: Message;
    if (input.as === 'agent') message = await deps.reply(me(req), { conversationId, clientId: input.clientId, text: input.text });
    else {
      const row = await deps.db.selectFrom('conversations').select('status').where('id', '=', conversationId).executeTakeFirst();
      if (!row) throw new AppError(ErrorCode.NotFound, 'no such conversation');
      if (row.status !== 'open') throw new AppError(ErrorCode.Conflict, 'the conversation is closed: a bot writes only to open ones');
      message = await deps.conversations.append(conversationId, input.clientId!, input.text, { type: 'bot', name: input.botName ?? 'Bot' });
    }
    res.status(201).json({ message });
  });

  router.get('/contacts', agent, async (req, res) => {
    const query = parseOrThrow(ContactQuerySchema, req.query);
    let q = deps.db.selectFrom('contacts').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit + 1);
    if (query.email) q = q.where('email', '=', query.email);
    if (query.externalId) q = q.where('external_id', '=', query.externalId);
    if (query.siteId) q = q.where('site_id', '=', query.siteId);
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor);
      q = q.where((e) => e.or([e('created_at', '<', createdAt), e.and([e('created_at', '=', createdAt), e('id', '<', id)])]));
    }
    const rows = await q.execute();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    res.json({
      contacts: page.map((row) => ({ ...webhookContact(row), externalId: row.external_id ?? null })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.created_at, last.id) : null,
    });
  });

  router.get('/contacts/:id', agent, async (req, res) => {
    const row = await deps.db.selectFrom('contacts').selectAll().where('id', '=', String(req.params.id)).executeTakeFirst();
    if (!row) throw new AppError(ErrorCode.NotFound, 'no such contact');
    res.json({ contact: { ...webhookContact(row), externalId: row.external_id ?? null }, profile: await deps.services.profiles.profile(row.id, null) });
  });

  return router;
}
