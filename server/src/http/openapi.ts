import { toJsonSchema } from '@valibot/to-json-schema';
import { Router } from 'express';
import * as v from 'valibot';
import { ApiKeyScopes, CreateApiKeySchema } from '../../../protocol/src/api-keys';
import { AddNoteSchema, EditAttributesSchema, EditLabelsSchema } from '../../../protocol/src/console';
import { CreateInviteSchema } from '../../../protocol/src/schemas';
import { AssignConversationSchema, CreateAgentSchema, SetPresenceSchema, UpdateAgentSchema } from '../../../protocol/src/routing';
import { LabelInputSchema } from '../../../protocol/src/console';
import { CreateWebhookSchema, UpdateWebhookSchema, WebhookEventTypes } from '../../../protocol/src/webhooks';
import { OutboundSchema } from '../services/conversations/outbound';
import { GROUP_BYS } from '../services/reports/query';
import { REPORT_NAMES } from '../services/reports/report-service';
import { ApiMessageSchema } from './program-routes';

/**
 * The REST API for programs as an OpenAPI 3.1 document (`GET /api/openapi.json`) and its reference
 * page (`GET /api/docs`), generated from the valibot schemas the routes validate with: request
 * bodies are the routes' own schemas; answers are described by the schemas below, which the contract
 * test (test/integration/openapi.test.ts) checks every documented route's answer against.
 */

type Scope = (typeof ApiKeyScopes)[number];

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  /** The API key scope it needs besides the method's (`read` for GET, `write` otherwise). */
  admin?: boolean;
  body?: v.GenericSchema;
  query?: Record<string, v.GenericSchema>;
  /** The success status and its body (none for 204). */
  status: number;
  response?: v.GenericSchema;
}

const id = v.string();
const time = v.pipe(v.string(), v.isoTimestamp());
const nullable = <S extends v.GenericSchema>(s: S) => v.nullable(s);

// answers: the fields a program relies on (objects may carry more)
const ApiKeyOut = v.looseObject({
  id,
  name: v.string(),
  prefix: v.string(),
  scopes: v.array(v.picklist(ApiKeyScopes)),
  agentId: id,
  agentName: v.string(),
  createdAt: time,
  lastUsedAt: nullable(time),
  revokedAt: nullable(time),
});
const WebhookEndpointOut = v.looseObject({
  id,
  url: v.string(),
  description: nullable(v.string()),
  events: v.array(v.picklist(WebhookEventTypes)),
  enabled: v.boolean(),
  allowPrivateNetwork: v.boolean(),
  disabledReason: nullable(v.string()),
  failingSince: nullable(time),
  createdAt: time,
  updatedAt: time,
});
const WebhookDeliveryOut = v.looseObject({
  id,
  eventId: v.string(),
  eventType: v.picklist(WebhookEventTypes),
  status: v.picklist(['pending', 'sending', 'delivered', 'failed']),
  attempts: v.number(),
  nextAttemptAt: nullable(time),
  lastStatus: nullable(v.number()),
  lastResponse: nullable(v.string()),
  lastError: nullable(v.string()),
  lastAttemptAt: nullable(time),
  createdAt: time,
  deliveredAt: nullable(time),
  payload: v.looseObject({ type: v.picklist(WebhookEventTypes), timestamp: time, data: v.looseObject({}) }),
});
const ConversationOut = v.looseObject({
  id,
  siteId: v.string(),
  status: v.picklist(['open', 'closed']),
  assigneeId: nullable(v.string()),
  labels: v.array(v.string()),
});
const MessageOut = v.looseObject({ id, seq: v.number(), authorType: v.picklist(['visitor', 'agent', 'bot', 'system']), text: v.string(), createdAt: time });
const NoteOut = v.looseObject({ id, conversationId: id, text: v.string(), createdAt: time });
const ProfileOut = v.looseObject({ attributes: v.record(v.string(), v.unknown()), labels: v.array(v.string()), conversations: v.array(v.looseObject({ id, status: v.picklist(['open', 'closed']) })) });
const LabelOut = v.looseObject({ name: v.string(), color: v.string() });
const ContactOut = v.looseObject({
  id,
  siteId: v.string(),
  name: nullable(v.string()),
  email: nullable(v.string()),
  phone: nullable(v.string()),
  language: nullable(v.string()),
  attributes: v.record(v.string(), v.unknown()),
  externalId: nullable(v.string()),
  createdAt: time,
  updatedAt: time,
});
const AgentOut = v.looseObject({ id, name: v.string(), role: v.picklist(['admin', 'agent']), capacity: v.number(), load: v.number() });
const TeamOut = v.looseObject({ id, name: v.string() });
const ReportOut = v.looseObject({
  report: v.picklist(REPORT_NAMES),
  range: v.looseObject({ from: v.string(), to: v.string() }),
  groupBy: nullable(v.string()),
  total: v.unknown(),
  groups: v.array(v.looseObject({ key: nullable(v.string()), label: nullable(v.string()) })),
});
const AgentCreatedOut = v.looseObject({ id, name: v.string(), email: v.string(), role: v.picklist(['admin', 'agent']) });
const InviteOut = v.looseObject({ id, email: v.string(), role: v.picklist(['admin', 'agent']), createdAt: time, expiresAt: time });
const QuickReplyOut = v.looseObject({ shortcut: v.string(), text: v.string() });
const AuditEntryOut = v.looseObject({ id, action: v.string(), createdAt: time });
const SessionOut = v.looseObject({ id });
const SettingOut = v.looseObject({ setting: v.looseObject({ source: v.picklist(['file', 'database']) }) });
const EraseBody = v.object({ confirm: v.literal(true), reason: v.optional(v.pipe(v.string(), v.maxLength(500))) });

/** The body of an action on one conversation: its socket schema without the id, which the path names. */
const without = <S extends v.ObjectSchema<v.ObjectEntries, undefined>>(schema: S, key: keyof S['entries']) => v.omit(schema, [key as never]);
const TransferBody = v.object({
  agentId: v.optional(v.string()),
  teamId: v.optional(v.string()),
  note: v.optional(v.pipe(v.string(), v.maxLength(500))),
});

/** Every documented operation, as its route does it. */
export const operations: Operation[] = [
  { method: 'get', path: '/api/v1/conversations', summary: 'One inbox page', tag: 'Conversations', query: { view: v.picklist(['mine', 'unassigned', 'all']), status: v.picklist(['open', 'closed']), cursor: v.string(), limit: v.number() }, status: 200, response: v.looseObject({ conversations: v.array(ConversationOut), nextCursor: nullable(v.string()) }) },
  { method: 'get', path: '/api/v1/conversations/{id}', summary: 'A conversation and its messages after a sequence', tag: 'Conversations', query: { afterSeq: v.number() }, status: 200, response: v.looseObject({ conversation: ConversationOut, messages: v.array(MessageOut), hasMore: v.boolean() }) },
  { method: 'post', path: '/api/v1/conversations', summary: 'Write first to a contact: a new conversation assigned to you (Idempotency-Key header: started once)', tag: 'Conversations', body: OutboundSchema, status: 201, response: v.looseObject({ conversation: ConversationOut, message: MessageOut }) },
  { method: 'post', path: '/api/v1/conversations/{id}/messages', summary: 'Send a message as your agent (claims an unassigned conversation) or as the bot (Idempotency-Key header: sent once)', tag: 'Conversations', body: ApiMessageSchema, status: 201, response: v.looseObject({ message: MessageOut }) },
  { method: 'get', path: '/api/v1/search', summary: 'Conversations whose contact, answers or messages match', tag: 'Conversations', query: { q: v.string(), limit: v.number() }, status: 200, response: v.looseObject({ conversations: v.array(ConversationOut) }) },
  { method: 'post', path: '/api/v1/conversations/{id}/claim', summary: 'Take an open conversation', tag: 'Conversations', body: v.object({}), status: 200, response: v.looseObject({ conversation: ConversationOut }) },
  { method: 'post', path: '/api/v1/conversations/{id}/assign', summary: 'Give it to an agent', tag: 'Conversations', admin: true, body: without(AssignConversationSchema, 'conversationId'), status: 200, response: v.looseObject({ conversation: ConversationOut }) },
  { method: 'post', path: '/api/v1/conversations/{id}/transfer', summary: 'Move it to a team or an agent', tag: 'Conversations', body: TransferBody, status: 200, response: v.looseObject({ conversation: ConversationOut }) },
  { method: 'post', path: '/api/v1/conversations/{id}/close', summary: 'Close', tag: 'Conversations', body: v.object({}), status: 200, response: v.looseObject({ conversation: ConversationOut }) },
  { method: 'post', path: '/api/v1/conversations/{id}/reopen', summary: 'Reopen', tag: 'Conversations', body: v.object({}), status: 200, response: v.looseObject({ conversation: ConversationOut }) },
  { method: 'post', path: '/api/v1/conversations/{id}/labels', summary: 'Add and remove labels', tag: 'Conversations', body: without(EditLabelsSchema, 'id'), status: 200, response: v.looseObject({ labels: v.array(v.string()) }) },
  { method: 'post', path: '/api/v1/conversations/{id}/notes', summary: 'A private note (Idempotency-Key header: added once)', tag: 'Conversations', body: v.partial(without(AddNoteSchema, 'conversationId'), ['clientId']), status: 201, response: v.looseObject({ note: NoteOut }) },
  { method: 'patch', path: '/api/v1/contacts/{id}/attributes', summary: "Set or remove a contact's attributes", tag: 'Contacts', body: without(EditAttributesSchema, 'contactId'), status: 200, response: v.looseObject({ profile: ProfileOut }) },
  { method: 'get', path: '/api/v1/contacts', summary: 'Contacts, newest first, one page at a time', tag: 'Contacts', query: { email: v.string(), externalId: v.string(), siteId: v.string(), cursor: v.string(), limit: v.number() }, status: 200, response: v.looseObject({ contacts: v.array(ContactOut), nextCursor: nullable(v.string()) }) },
  { method: 'get', path: '/api/v1/contacts/{id}', summary: 'A contact and its profile (survey answers, conversations, labels)', tag: 'Contacts', status: 200, response: v.looseObject({ contact: ContactOut, profile: ProfileOut }) },
  { method: 'get', path: '/api/v1/contacts/{id}/export', summary: 'Everything stored about a contact (data portability)', tag: 'Contacts', admin: true, status: 200, response: v.looseObject({ contact: v.looseObject({ id }), conversations: v.array(v.looseObject({ id })) }) },
  { method: 'post', path: '/api/v1/contacts/{id}/erase', summary: 'Erase a contact and everything of theirs (cannot be undone)', tag: 'Contacts', admin: true, body: EraseBody, status: 200, response: v.looseObject({ erased: v.looseObject({ conversations: v.number(), messages: v.number(), files: v.number() }) }) },
  { method: 'get', path: '/api/v1/agents', summary: 'Agents with their capacity, load and presence', tag: 'Team', status: 200, response: v.looseObject({ agents: v.array(AgentOut) }) },
  { method: 'get', path: '/api/v1/teams', summary: 'Teams', tag: 'Team', status: 200, response: v.looseObject({ teams: v.array(TeamOut) }) },
  { method: 'get', path: '/api/v1/reports/{name}', summary: `A report (${REPORT_NAMES.join(', ')}); add .csv to the name for CSV`, tag: 'Reports', query: { from: v.string(), to: v.string(), site: v.string(), team: v.string(), inquiryType: v.string(), language: v.string(), agent: v.string(), timeZone: v.string(), groupBy: v.picklist(GROUP_BYS) }, status: 200, response: ReportOut },
  { method: 'get', path: '/api/v1/labels', summary: 'The label catalogue', tag: 'Labels', status: 200, response: v.looseObject({ labels: v.array(LabelOut) }) },
  { method: 'post', path: '/api/v1/labels', summary: 'Add a label to the catalogue', tag: 'Labels', admin: true, body: LabelInputSchema, status: 201, response: v.looseObject({ label: LabelOut }) },
  { method: 'put', path: '/api/v1/labels/{name}', summary: 'Change a label’s colour and description', tag: 'Labels', admin: true, body: v.omit(LabelInputSchema, ['name']), status: 200, response: v.looseObject({ label: LabelOut }) },
  { method: 'delete', path: '/api/v1/labels/{name}', summary: 'Remove a label (from every conversation and contact too)', tag: 'Labels', admin: true, status: 204 },
  { method: 'post', path: '/api/v1/agents', summary: 'Add an agent with a password', tag: 'Team', admin: true, body: CreateAgentSchema, status: 201, response: AgentCreatedOut },
  { method: 'patch', path: '/api/v1/agents/{id}', summary: 'Rename, change role, capacity, teams, languages or password, deactivate or reactivate', tag: 'Team', admin: true, body: UpdateAgentSchema, status: 200, response: v.looseObject({ id, name: v.string(), role: v.picklist(['admin', 'agent']), active: v.boolean() }) },
  { method: 'post', path: '/api/v1/agents/invites', summary: 'Invite an agent by a one-time link (valid 7 days; the link is shown this once)', tag: 'Team', admin: true, body: CreateInviteSchema, status: 201, response: v.looseObject({ invite: InviteOut, link: v.pipe(v.string(), v.startsWith('/console/invite?token=')) }) },
  { method: 'get', path: '/api/v1/agents/invites', summary: 'Invitations not used, revoked or expired', tag: 'Team', admin: true, status: 200, response: v.looseObject({ invites: v.array(InviteOut) }) },
  { method: 'delete', path: '/api/v1/agents/invites/{id}', summary: 'Revoke an invitation', tag: 'Team', admin: true, status: 204 },
  { method: 'post', path: '/api/v1/presence', summary: "Set your presence (online, away, offline)", tag: 'Team', body: SetPresenceSchema, status: 200, response: v.looseObject({ presence: v.picklist(['online', 'away', 'offline']) }) },
  { method: 'get', path: '/api/v1/conversations/{id}/quick-replies', summary: 'Quick replies for a conversation, rendered for its contact', tag: 'Conversations', status: 200, response: v.looseObject({ quickReplies: v.array(QuickReplyOut) }) },
  { method: 'get', path: '/api/v1/reports/ratings', summary: 'Ratings: average, distribution and the latest comments', tag: 'Reports', query: { from: v.string(), to: v.string() }, status: 200, response: v.looseObject({}) },
  { method: 'get', path: '/api/v1/auto-replies', summary: 'Auto-reply settings: quick replies, keyword rules, schedules and each site’s messages (the file’s and the saved)', tag: 'Settings', admin: true, status: 200, response: v.looseObject({ settings: v.array(v.looseObject({ scope: v.string(), source: v.picklist(['file', 'database']) })) }) },
  { method: 'put', path: '/api/v1/auto-replies/{scope}', summary: 'Save one scope (quick-replies, rules, schedules, site:<id>) over the file, validated as the file is', tag: 'Settings', admin: true, body: v.object({ value: v.unknown() }), status: 200, response: SettingOut },
  { method: 'delete', path: '/api/v1/auto-replies/{scope}', summary: 'Go back to the file for one scope', tag: 'Settings', admin: true, body: v.object({}), status: 200, response: SettingOut },
  { method: 'get', path: '/api/v1/admin/sites', summary: 'Sites with their survey, texts, looks and languages as saved', tag: 'Settings', admin: true, status: 200, response: v.looseObject({ sites: v.array(v.looseObject({ id })) }) },
  { method: 'get', path: '/api/v1/admin/sites/{siteId}/survey', summary: "A site's survey, texts, looks and languages (the file's and the saved)", tag: 'Settings', admin: true, status: 200, response: SettingOut },
  { method: 'put', path: '/api/v1/admin/sites/{siteId}/survey', summary: 'Save them over the file; with expectedUpdatedAt, 409 when someone saved since', tag: 'Settings', admin: true, body: v.object({ value: v.unknown(), expectedUpdatedAt: v.optional(v.nullable(v.string())) }), status: 200, response: SettingOut },
  { method: 'delete', path: '/api/v1/admin/sites/{siteId}/survey', summary: 'Go back to the file', tag: 'Settings', admin: true, body: v.object({}), status: 200, response: SettingOut },
  { method: 'post', path: '/api/v1/admin/sites/{siteId}/survey/preview', summary: "The widget's config for a draft, in a language", tag: 'Settings', admin: true, query: { lang: v.string() }, body: v.object({ value: v.unknown() }), status: 200, response: v.looseObject({ config: v.looseObject({ siteId: v.string(), prechat: v.looseObject({}) }), warnings: v.array(v.unknown()) }) },
  { method: 'get', path: '/api/v1/audit', summary: 'The audit log, newest first', tag: 'Settings', admin: true, query: { limit: v.number() }, status: 200, response: v.looseObject({ entries: v.array(AuditEntryOut) }) },
  { method: 'get', path: '/api/v1/auth/sessions', summary: 'Where you are signed in', tag: 'Team', status: 200, response: v.looseObject({ sessions: v.array(SessionOut) }) },
  { method: 'delete', path: '/api/v1/auth/sessions/{id}', summary: 'Sign one of your sessions out at once', tag: 'Team', status: 204 },
  { method: 'get', path: '/api/v1/webhooks/event-types', summary: 'The events an endpoint can subscribe to', tag: 'Webhooks', admin: true, status: 200, response: v.object({ eventTypes: v.array(v.picklist(WebhookEventTypes)) }) },
  { method: 'get', path: '/api/v1/webhooks', summary: 'Webhook endpoints', tag: 'Webhooks', admin: true, status: 200, response: v.object({ endpoints: v.array(WebhookEndpointOut) }) },
  { method: 'post', path: '/api/v1/webhooks', summary: 'Subscribe a URL (the answer carries its secret, shown once)', tag: 'Webhooks', admin: true, body: CreateWebhookSchema, status: 201, response: v.object({ endpoint: WebhookEndpointOut, secret: v.pipe(v.string(), v.startsWith('whsec_')) }) },
  { method: 'get', path: '/api/v1/webhooks/{id}', summary: 'One endpoint', tag: 'Webhooks', admin: true, status: 200, response: v.object({ endpoint: WebhookEndpointOut }) },
  { method: 'patch', path: '/api/v1/webhooks/{id}', summary: 'Change, disable or enable an endpoint', tag: 'Webhooks', admin: true, body: UpdateWebhookSchema, status: 200, response: v.object({ endpoint: WebhookEndpointOut }) },
  { method: 'get', path: '/api/v1/webhooks/{id}/deliveries', summary: 'Its latest deliveries, newest first', tag: 'Webhooks', admin: true, query: { limit: v.number() }, status: 200, response: v.object({ deliveries: v.array(WebhookDeliveryOut) }) },
  { method: 'post', path: '/api/v1/webhooks/{id}/deliveries/{delivery}/resend', summary: 'Send a delivery again, with its webhook-id', tag: 'Webhooks', admin: true, status: 200, response: v.object({ delivery: WebhookDeliveryOut }) },
  { method: 'delete', path: '/api/v1/webhooks/{id}', summary: 'Delete an endpoint and its deliveries', tag: 'Webhooks', admin: true, status: 204 },
  { method: 'get', path: '/api/v1/api-keys', summary: 'API keys (never the keys themselves)', tag: 'API keys', admin: true, status: 200, response: v.object({ apiKeys: v.array(ApiKeyOut) }) },
  { method: 'post', path: '/api/v1/api-keys', summary: 'Make a key (signed-in admins only; the key is shown once)', tag: 'API keys', admin: true, body: CreateApiKeySchema, status: 201, response: v.object({ apiKey: ApiKeyOut, key: v.pipe(v.string(), v.startsWith('parley_')) }) },
  { method: 'delete', path: '/api/v1/api-keys/{id}', summary: 'Revoke a key at once (signed-in admins only)', tag: 'API keys', admin: true, status: 204 },
];

const json = (schema: v.GenericSchema): Record<string, unknown> => {
  const { $schema: _, ...out } = toJsonSchema(schema, { errorMode: 'ignore' }) as Record<string, unknown>;
  return out;
};

const Problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    issues: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
    retryAfter: { type: 'integer' },
  },
};

/** The OpenAPI 3.1 document of the operations above. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const scopes: Scope[] = [op.method === 'get' ? 'read' : 'write', ...(op.admin ? (['admin'] as Scope[]) : [])];
    const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
    (paths[op.path] ??= {})[op.method] = {
      operationId: `${op.method}${op.path.replace(/^\/api\/v1/, '').replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: op.summary,
      tags: [op.tag],
      security: [{ apiKey: scopes }, { session: [] }],
      parameters: [
        ...names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...Object.entries(op.query ?? {}).map(([name, schema]) => ({ name, in: 'query', required: name === 'q', schema: json(schema) })),
        ...(op.path.endsWith('/notes') || op.path.endsWith('/messages') || op.path === '/api/v1/conversations' && op.method === 'post' ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 8 } }] : []),
      ],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(op.body) } } } } : {}),
      responses: {
        [String(op.status)]: op.response ? { description: 'OK', content: { 'application/json': { schema: json(op.response) } } } : { description: 'Done, no content' },
        '401': problem('No session, or an unknown or revoked API key'),
        '403': problem('The key lacks a scope, or the agent the right'),
        ...(names.length ? { '404': problem('No such resource') } : {}),
        ...(op.body || op.query ? { '422': problem('Invalid input: `issues[].path` names each field') } : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Parley REST API', version: '1', description: 'For programs, with API keys (docs/API.md). Events go the other way as webhooks (docs/WEBHOOKS.md).' },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Problem },
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer parley_…`; scopes read (GET), write (other methods), admin (admin routes)' },
        session: { type: 'apiKey', in: 'cookie', name: 'parley_session', description: "An agent's console session" },
      },
    },
  };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The reference page: every operation with its scopes, parameters, body and answer, as plain HTML. */
function docsPage(doc: Record<string, unknown>): string {
  const sections = Object.entries(doc.paths as Record<string, Record<string, any>>)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        const body = op.requestBody?.content['application/json'].schema;
        const ok = Object.entries(op.responses as Record<string, any>).find(([s]) => s.startsWith('2'));
        const answer = ok?.[1].content?.['application/json'].schema;
        return `<section><h3><code>${method.toUpperCase()} ${escape(path)}</code></h3><p>${escape(op.summary)}</p>
<p>Scopes: ${escape((op.security[0].apiKey as string[]).join(', '))}</p>
${body ? `<h4>Body</h4><pre>${escape(JSON.stringify(body, null, 2))}</pre>` : ''}
<h4>Answer ${escape(ok?.[0] ?? '')}</h4>${answer ? `<pre>${escape(JSON.stringify(answer, null, 2))}</pre>` : '<p>No content.</p>'}</section>`;
      }),
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley REST API</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}pre{background:#f4f4f5;padding:.75rem;overflow:auto;font-size:13px}section{border-top:1px solid #ddd;margin-top:1.5rem}code{font-size:15px}</style>
</head><body><main><h1>Parley REST API</h1><p>OpenAPI 3.1: <a href="/api/openapi.json">/api/openapi.json</a>. Authentication: <code>Authorization: Bearer parley_…</code> (an API key an admin made in the console), or a console session. Errors are problem JSON.</p>
${sections}</main></body></html>`;
}

/** `GET /api/openapi.json` and `GET /api/docs`, public like any API reference (they hold no data). */
export function openApiRoutes(): Router {
  const router = Router();
  const doc = openApiDocument();
  const text = JSON.stringify(doc);
  const page = docsPage(doc);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').set('Cache-Control', 'no-cache').send(text);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(page);
  });
  return router;
}
