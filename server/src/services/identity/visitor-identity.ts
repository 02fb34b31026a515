import { randomUUID } from 'node:crypto';
import { ErrorCode, IdentifySchema, type IdentifyResult } from '../../../../protocol/src/index';
import { EditAttributesSchema } from '../../../../protocol/src/console';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import type { Clock } from '../clock';
import { contactChanged } from '../conversations/contact-cache';
import { randomToken, sha256 } from '../crypto';
import type { SearchIndex } from '../search/search-index';
import type { SiteDirectory } from '../site-directory';
import type { VisitorService } from '../visitor-service';
import { webhookContact } from '../webhooks/payloads';
import { type WebhookRecorder, noWebhooks } from '../webhooks/webhook-service';
import { verifyIdentity } from './identity';

/** Tables whose rows belong to a contact and follow it when it is merged into another. */
const OWNED = ['conversations', 'follow_up_consents', 'email_outbox', 'contact_tokens'] as const;

const parseJson = <T>(text: string | null | undefined, fallback: T): T => {
  try {
    return (text ? JSON.parse(text) : fallback) as T;
  } catch {
    return fallback;
  }
};

/**
 * The page's side of a visitor's identity (`ChatWidget.setUser` and `setAttributes`).
 *
 * `identify` takes the site's user id with its HMAC (the site's backend computes it with the secret in
 * `IDENTITY_SECRET_<SITE>`; a wrong or missing hash is refused, so nobody becomes someone else by
 * typing their id). The first browser of a user turns its anonymous contact into the user's; another
 * browser's anonymous contact is merged into the user's contact (its conversations, consents and
 * token move over, so that browser keeps its token and now sees everything); a browser that belongs
 * to another user gets a new token for this one. Either way the answer names the conversation to
 * show, so the user's history follows them to any device.
 */
export class VisitorIdentityService {
  webhooks: WebhookRecorder = noWebhooks;

  constructor(
    private readonly db: Db,
    private readonly sites: SiteDirectory,
    private readonly visitors: VisitorService,
    private readonly clock: Clock,
    private readonly search: SearchIndex,
    private readonly secrets: Readonly<Record<string, string>>,
  ) {}

  async identify(siteId: string, body: unknown, bearer: string | undefined): Promise<IdentifyResult> {
    if (!this.sites.get(siteId)) throw new AppError(ErrorCode.NotFound, `no site ${siteId}`);
    const input = parseOrThrow(IdentifySchema, body);
    if (!this.secrets[siteId]) throw new AppError(ErrorCode.Forbidden, 'this site has no identity secret: set IDENTITY_SECRET_<SITE> to verify its users');
    if (!verifyIdentity(this.secrets[siteId], input.userId, input.hash)) throw new AppError(ErrorCode.Unauthorized, 'the identity could not be verified');

    let current = bearer === undefined ? null : await this.visitors.contactFacts(siteId, bearer);
    if (bearer !== undefined && !current) throw new AppError(ErrorCode.Unauthorized, 'unknown visitor token');
    // a browser last used by another signed-in user: this user gets their own token, nothing moves
    if (current?.external_id && current.external_id !== input.userId) current = null;

    const now = this.clock.now().toISOString();
    const facts: Record<string, string> = {};
    if (input.name) facts.name = input.name;
    if (input.email) facts.email = input.email.toLowerCase();
    if (input.phone) facts.phone = input.phone;

    const { contactId, token, merged, removed } = await this.db.transaction().execute(async (trx) => {
      const user = await trx
        .selectFrom('contacts')
        .select(['id', 'attributes', 'labels'])
        .where('site_id', '=', siteId)
        .where('external_id', '=', input.userId)
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst();
      let contactId: string;
      let token: string | undefined;
      let merged = false;
      let removed: string | null = null;
      if (user && current && current.id !== user.id) {
        // this browser's anonymous contact joins the user's: what it owns moves, its token opens the user's contact
        const anonymous = await trx.selectFrom('contacts').select(['token_hash', 'attributes', 'labels']).where('id', '=', current.id).executeTakeFirstOrThrow();
        for (const table of OWNED) await trx.updateTable(table).set({ contact_id: user.id }).where('contact_id', '=', current.id).execute();
        await trx.updateTable('messages').set({ author_id: user.id }).where('author_type', '=', 'visitor').where('author_id', '=', current.id).execute();
        await trx.insertInto('contact_tokens').values({ token_hash: anonymous.token_hash, contact_id: user.id, created_at: now }).execute();
        await trx.deleteFrom('contacts').where('id', '=', current.id).execute();
        const attributes = { ...parseJson<Record<string, unknown>>(anonymous.attributes, {}), ...parseJson<Record<string, unknown>>(user.attributes, {}) };
        const labels = [...new Set([...parseJson<string[]>(user.labels, []), ...parseJson<string[]>(anonymous.labels, [])])];
        await trx.updateTable('contacts').set({ attributes: JSON.stringify(attributes), labels: JSON.stringify(labels) }).where('id', '=', user.id).execute();
        contactId = user.id;
        merged = true;
        removed = current.id;
      } else if (user) {
        contactId = user.id;
        if (!current) {
          token = randomToken();
          await trx.insertInto('contact_tokens').values({ token_hash: sha256(token), contact_id: user.id, created_at: now }).execute();
        }
      } else if (current) {
        // the user's first browser: its contact becomes theirs
        contactId = current.id;
      } else {
        token = randomToken();
        contactId = randomUUID();
        await trx
          .insertInto('contacts')
          .values({ id: contactId, site_id: siteId, token_hash: sha256(token), name: null, email: null, phone: null, language: null, created_at: now, updated_at: now })
          .execute();
      }
      await trx
        .updateTable('contacts')
        .set({ ...facts, external_id: input.userId, verified_at: now, updated_at: now })
        .where('id', '=', contactId)
        .execute();
      await this.webhooks.record(trx, {
        type: user ? 'contact.updated' : current ? 'contact.updated' : 'contact.created',
        orderingKey: contactId,
        data: async () => ({ contact: webhookContact(await trx.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirstOrThrow()) }),
      });
      return { contactId, token, merged, removed };
    });
    contactChanged(this.db, contactId);
    if (removed) contactChanged(this.db, removed);
    await this.search.indexContact(contactId);
    const latest = await this.db
      .selectFrom('conversations')
      .select(['id', 'status'])
      .where('contact_id', '=', contactId)
      .orderBy('updated_at', 'desc')
      .limit(20)
      .execute();
    const show = latest.find((c) => c.status === 'open') ?? latest[0];
    return { ...(token ? { token } : {}), contactId, conversationId: show?.id ?? null, merged };
  }

  /**
   * `ChatWidget.setAttributes`: the page sets (or with null removes) the visitor's custom attributes.
   * On a site with an identity secret only a verified contact may: else any visitor could claim
   * `vip: true` and jump a routing rule.
   */
  async contactForAttributes(siteId: string, bearer: string | undefined, body: unknown): Promise<{ contactId: string; attributes: unknown }> {
    const contact = bearer === undefined ? null : await this.visitors.contactFacts(siteId, bearer);
    if (!contact) throw new AppError(ErrorCode.Unauthorized, 'unknown visitor token');
    if (this.secrets[siteId] && !contact.external_id) throw new AppError(ErrorCode.Forbidden, 'this site verifies its users: call setUser with an identifierHash first');
    const { attributes } = parseOrThrow(EditAttributesSchema, { ...(body && typeof body === 'object' ? body : {}), contactId: contact.id });
    return { contactId: contact.id, attributes };
  }
}
