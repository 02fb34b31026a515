import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startServer } from '../helpers/server';

/**
 * The OpenAPI document against the server it describes: it passes a standard validator, and every
 * documented operation is called with an API key (or, for making and revoking keys, the admin's
 * session), its answer's status and body checked against the document.
 */
const PASSWORD = 'a long enough password';
let t: TestServer;
let cookie: string;
let key: string;
let doc: any;
let receiver: Server;
let hookUrl: string;

beforeAll(async () => {
  t = await startServer();
  cookie = await t.login();
  const made = await fetch(`${t.url}/api/v1/api-keys`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'contract', scopes: ['read', 'write', 'admin'] }) });
  key = ((await made.json()) as { key: string }).key;
  expect((await t.post('/api/v1/agents', { email: 'pat@example.com', name: 'Pat', password: PASSWORD }, { cookie })).status).toBe(201);
  receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  doc = await (await fetch(`${t.url}/api/openapi.json`)).json();
});
afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  await t.close();
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, and the reference page lists every operation, escaped', async () => {
    expect(doc.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(doc));
    const page = await fetch(`${t.url}/api/docs`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    for (const [path, methods] of Object.entries(doc.paths as Record<string, object>)) for (const m of Object.keys(methods)) expect(html).toContain(`${m.toUpperCase()} ${path}`);
    expect(html).not.toContain('<script');
  });

  it('describes what every documented route answers', async () => {
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    const called = new Set<string>();
    const ids: Record<string, string> = {};
    const start = await t.startConversation();
    ids.conversation = start.conversationId;
    ids.contact = start.contactId;
    ids.pat = (await t.parley.db.selectFrom('agents').select('id').where('email', '=', 'pat@example.com').executeTakeFirstOrThrow()).id;

    async function call(method: string, template: string, values: Record<string, string>, body?: unknown, extra: Record<string, string> = {}, asSession = false) {
      const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] as string) + (values.query ?? '');
      const op = doc.paths[template]?.[method];
      expect(op, `${method} ${template} is documented`).toBeDefined();
      const res = await fetch(`${t.url}${path}`, {
        method: method.toUpperCase(),
        headers: { ...(asSession ? { cookie } : { authorization: `Bearer ${key}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      const documented = op.responses[String(res.status)];
      expect(documented, `${method} ${path} answered ${res.status}, which is not documented: ${text}`).toBeDefined();
      expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
      const schema = documented.content?.['application/json']?.schema;
      if (schema) {
        const valid = ajv.validate(schema, JSON.parse(text));
        expect(valid, `${method} ${path}: ${ajv.errorsText()}\n${text.slice(0, 500)}`).toBe(true);
      } else expect(text).toBe('');
      called.add(`${method} ${template}`);
      return text ? JSON.parse(text) : null;
    }

    await call('get', '/api/v1/conversations', { query: '?view=all&status=open&limit=10' });
    await call('get', '/api/v1/conversations/{id}', { id: ids.conversation, query: '?afterSeq=0' });
    await call('get', '/api/v1/search', { query: '?q=Ana&limit=5' });
    await call('post', '/api/v1/conversations/{id}/claim', { id: ids.conversation }, {});
    await call('post', '/api/v1/conversations/{id}/labels', { id: ids.conversation }, { add: ['VIP'] });
    await call('post', '/api/v1/conversations/{id}/notes', { id: ids.conversation }, { text: 'A note <b>with HTML</b> 🌱' }, { 'idempotency-key': 'contract-note-1' });
    await call('patch', '/api/v1/contacts/{id}/attributes', { id: ids.contact }, { attributes: { plan: 'pro' } });
    await call('post', '/api/v1/conversations/{id}/assign', { id: ids.conversation }, { agentId: ids.pat });
    await call('post', '/api/v1/conversations/{id}/transfer', { id: ids.conversation }, { teamId: 'billing', note: 'for billing' });
    await call('post', '/api/v1/conversations/{id}/close', { id: ids.conversation }, {});
    await call('post', '/api/v1/conversations/{id}/reopen', { id: ids.conversation }, {});
    await call('get', '/api/v1/labels', {});
    // what programs add to the console's actions: messages, outbound conversations, contacts, the team, reports
    await call('post', '/api/v1/conversations/{id}/messages', { id: ids.conversation }, { text: 'From the shop <i>system</i>' }, { 'idempotency-key': 'contract-message-1' });
    await call('post', '/api/v1/conversations/{id}/messages', { id: ids.conversation }, { text: 'Order shipped', as: 'bot', botName: 'Orders' });
    await call('post', '/api/v1/conversations', {}, { contactId: ids.contact, text: 'Your parcel is on its way', inquiryType: 'shipping' }, { 'idempotency-key': 'contract-outbound-1' });
    await call('get', '/api/v1/contacts', { query: '?limit=5' });
    await call('get', '/api/v1/contacts/{id}', { id: ids.contact });
    await call('get', '/api/v1/contacts/{id}/export', { id: ids.contact });
    await call('get', '/api/v1/agents', {});
    await call('get', '/api/v1/teams', {});
    const today = new Date().toISOString().slice(0, 10);
    await call('get', '/api/v1/reports/{name}', { name: 'conversations', query: `?from=${today}&to=${today}&groupBy=inquiryType` });

    await call('get', '/api/v1/webhooks/event-types', {});
    const { endpoint } = await call('post', '/api/v1/webhooks', {}, { url: hookUrl, events: ['conversation.created'], allowPrivateNetwork: true });
    await call('get', '/api/v1/webhooks', {});
    await call('get', '/api/v1/webhooks/{id}', { id: endpoint.id });
    await call('patch', '/api/v1/webhooks/{id}', { id: endpoint.id }, { description: 'Contract <i>test</i>' });
    await t.startConversation();
    await t.parley.webhooks.settled();
    while ((await t.parley.webhooks.deliverDue()) > 0);
    const { deliveries } = await call('get', '/api/v1/webhooks/{id}/deliveries', { id: endpoint.id });
    expect(deliveries[0]?.status).toBe('delivered');
    await call('post', '/api/v1/webhooks/{id}/deliveries/{delivery}/resend', { id: endpoint.id, delivery: deliveries[0].id });
    await t.parley.webhooks.settled();
    await call('delete', '/api/v1/webhooks/{id}', { id: endpoint.id });

    // the admin screens' routes
    await call('post', '/api/v1/labels', {}, { name: 'Contract', color: '#123456', description: 'A <b>label</b>' });
    await call('put', '/api/v1/labels/{name}', { name: 'Contract' }, { color: '#654321', description: null });
    await call('delete', '/api/v1/labels/{name}', { name: 'Contract' });
    const created = await call('post', '/api/v1/agents', {}, { email: 'sam@example.com', name: 'Sam', password: PASSWORD });
    await call('patch', '/api/v1/agents/{id}', { id: created.id }, { name: 'Sam S', active: false });
    await call('post', '/api/v1/presence', {}, { status: 'online' });
    const { invite } = await call('post', '/api/v1/agents/invites', {}, { email: 'invited@example.com', role: 'agent' });
    await call('get', '/api/v1/agents/invites', {});
    await call('delete', '/api/v1/agents/invites/{id}', { id: invite.id });
    await call('get', '/api/v1/conversations/{id}/quick-replies', { id: ids.conversation });
    await call('get', '/api/v1/reports/ratings', {});
    const { settings } = await call('get', '/api/v1/auto-replies', {});
    const quick = settings.find((x: { scope: string }) => x.scope === 'quick-replies');
    await call('put', '/api/v1/auto-replies/{scope}', { scope: 'quick-replies' }, { value: quick.value });
    await call('delete', '/api/v1/auto-replies/{scope}', { scope: 'quick-replies' }, {});
    await call('get', '/api/v1/admin/sites', {});
    const { setting } = await call('get', '/api/v1/admin/sites/{siteId}/survey', { siteId: 'demo' });
    await call('post', '/api/v1/admin/sites/{siteId}/survey/preview', { siteId: 'demo', query: '?lang=es' }, { value: setting.value });
    await call('put', '/api/v1/admin/sites/{siteId}/survey', { siteId: 'demo' }, { value: setting.value });
    await call('delete', '/api/v1/admin/sites/{siteId}/survey', { siteId: 'demo' }, {});
    await call('get', '/api/v1/audit', { query: '?limit=20' });
    await t.login();
    const { sessions } = await call('get', '/api/v1/auth/sessions', {});
    const newest = [...sessions].sort((a: { createdAt: string }, b: { createdAt: string }) => b.createdAt.localeCompare(a.createdAt))[0];
    await call('delete', '/api/v1/auth/sessions/{id}', { id: newest.id });

    const doomed = await t.startConversation({ name: 'Erase Me', email: 'erase@example.com', inquiryType: 'billing' });
    await call('post', '/api/v1/contacts/{id}/erase', { id: doomed.contactId }, { confirm: true, reason: 'asked by email' });

    const { apiKey } = await call('post', '/api/v1/api-keys', {}, { name: 'short-lived', scopes: ['read'] }, {}, true);
    await call('get', '/api/v1/api-keys', {});
    await call('delete', '/api/v1/api-keys/{id}', { id: apiKey.id }, undefined, {}, true);

    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect([...called].sort()).toEqual(documented.sort());
  });

  it('describes the errors as problem JSON', async () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const problem = doc.components.schemas.Problem;
    const bad = await fetch(`${t.url}/api/v1/webhooks`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ url: 'ftp://x', events: [] }) });
    expect(bad.status).toBe(422);
    expect(doc.paths['/api/v1/webhooks'].post.responses['422']).toBeDefined();
    expect(ajv.validate(problem, await bad.json())).toBe(true);
    const anonymous = await fetch(`${t.url}/api/v1/labels`);
    expect(anonymous.status).toBe(401);
    expect(ajv.validate(problem, await anonymous.json())).toBe(true);
  });
});
