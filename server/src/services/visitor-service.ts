import { verifyIdentity } from './identity/identity';
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import {
  type ConsentRecord,
  ErrorCode,
  type FieldIssue,
  type StartConversationResult,
  StartConversationSchema,
  type PublicField,
  type SurveyAnswer,
  type SurveyMessages,
  buildAnswersSchema,
  localize,
} from '../../../protocol/src/index';
import { surveyMessages } from '../i18n/widget-texts';
import { AppError, parseOrThrow, toFieldIssues } from '../errors';
import type { Database } from '../store/schema';
import type { Db } from '../store/db';
import { contactChanged } from './conversations/contact-cache';
import { newConversationRow } from './conversations/new-conversation';
import type { Transaction } from 'kysely';
import { webhookContact, webhookConversation } from './webhooks/payloads';
import { type WebhookRecorder, noWebhooks } from './webhooks/webhook-service';
import type { Clock } from './clock';
import type { ConversationService } from './conversations/conversation-service';
import { randomToken, sha256 } from './crypto';
import type { SearchIndex } from './search/search-index';
import type { SiteDirectory } from './site-directory';

/** A visitor as its token proves it. */
export interface VisitorIdentity {
  contactId: string;
  siteId: string;
  name: string | null;
}

const TOKEN = v.pipe(v.string(), v.minLength(20), v.maxLength(200));

/** Survey keys whose answers live on the contact, so a returning visitor is not asked them again. */
const CONTACT_KEYS = ['name', 'email', 'phone', 'language'] as const;
type ContactFacts = Partial<Record<(typeof CONTACT_KEYS)[number], string | null>>;

/**
 * The site's visible fields whose answer the contact already holds, and which that answer would still
 * pass today (an owner may have added options or a pattern since): those are not asked again.
 */
function knownKeys(fields: PublicField[], contact: ContactFacts, messages: SurveyMessages): string[] {
  return fields
    .filter((f) => {
      const value = (CONTACT_KEYS as readonly string[]).includes(f.key) ? contact[f.key as keyof ContactFacts] : null;
      return f.type !== 'hidden' && !!value && v.is(buildAnswersSchema([{ ...f, required: true }], messages), { [f.key]: value });
    })
    .map((f) => f.key);
}

const asText = (value: unknown): string | null =>
  value === undefined || value === null || value === '' ? null : String(value);

/**
 * Visitors: the survey that starts a conversation and the opaque token that
 * identifies them afterwards (random 256 bits, stored only as its SHA-256).
 */
export class VisitorService {
  /** Where new contacts and conversations are announced to webhooks (app.ts sets it). */
  webhooks: WebhookRecorder = noWebhooks;

  constructor(
    private readonly db: Db,
    private readonly sites: SiteDirectory,
    private readonly conversations: ConversationService,
    private readonly clock: Clock,
    private readonly search: SearchIndex,
    /** Each site's identity secret (IDENTITY_SECRET_<SITE>), for verifying its users' HMACs. */
    private readonly identitySecrets: Readonly<Record<string, string>> = {},
  ) {}

  /** A site that requires verified identity accepts only contacts that were verified. */
  private admitted(row: { site_id: string; external_id?: string | null }): boolean {
    return !this.sites.get(row.site_id)?.identity?.required || !!row.external_id;
  }

  /** The contact row behind a token, with what it knows of the visitor, or null for anything unknown or malformed. */
  private async contactByToken(token: unknown) {
    if (!v.is(TOKEN, token)) return null;
    const hash = sha256(token);
    const columns = ['contacts.id', 'contacts.site_id', 'contacts.name', 'contacts.email', 'contacts.phone', 'contacts.language', 'contacts.external_id'] as const;
    // a contact's first browser holds the token on the contact; a verified user's other browsers hold one of contact_tokens
    const row =
      (await this.db.selectFrom('contacts').select(columns).where('token_hash', '=', hash).executeTakeFirst()) ??
      (await this.db.selectFrom('contact_tokens').innerJoin('contacts', 'contacts.id', 'contact_tokens.contact_id').select(columns).where('contact_tokens.token_hash', '=', hash).executeTakeFirst());
    // on a site that requires verification, an unverified contact's token opens nothing
    return row && this.admitted(row) ? row : null;
  }

  /** The contact behind a token, or null for anything unknown or malformed. */
  async authenticate(token: unknown): Promise<VisitorIdentity | null> {
    const row = await this.contactByToken(token);
    return row ? { contactId: row.id, siteId: row.site_id, name: row.name } : null;
  }

  /** The contact's known answers when the token is this site's visitor's, else null. */
  async contactFacts(siteId: string, token: unknown): Promise<(ContactFacts & { id: string; name: string | null; external_id?: string | null }) | null> {
    const row = await this.contactByToken(token);
    return row?.site_id === siteId ? row : null;
  }

  /** Keys of the survey fields this visitor has answered before (none for an unknown token). */
  async knownFields(siteId: string, token: unknown): Promise<string[]> {
    const site = this.sites.get(siteId);
    const facts = site ? await this.contactFacts(siteId, token) : null;
    if (!site || !facts) return [];
    const lang = this.sites.negotiateLanguage(site, facts.language ?? undefined);
    return knownKeys(this.sites.publicFields(site, lang), facts, surveyMessages(lang));
  }

  /** The contact's (created or changed) and the new conversation's webhook deliveries, in the start's transaction. */
  private async recordWebhooks(trx: Transaction<Database>, contactId: string, conversationId: string, contactEvent: 'contact.created' | 'contact.updated' | null): Promise<void> {
    if (contactEvent) {
      const contact = async () => ({ contact: webhookContact(await trx.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirstOrThrow()) });
      await this.webhooks.record(trx, { type: contactEvent, orderingKey: contactId, data: contact });
    }
    const conversation = async () => ({
      conversation: webhookConversation(await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow()),
      actorId: null,
    });
    await this.webhooks.record(trx, { type: 'conversation.created', orderingKey: conversationId, data: conversation });
  }

  /**
   * Checks the survey against the site's fields and starts a conversation,
   * making the contact first when no valid token came with it.
   */
  async start(siteId: string, body: unknown, bearer: string | undefined, userAgent?: string): Promise<StartConversationResult> {
    const site = this.sites.get(siteId);
    if (!site) throw new AppError(ErrorCode.NotFound, `no site ${siteId}`);
    const input = parseOrThrow(StartConversationSchema, body);

    // a claimed identity must carry the site's HMAC of the user id; a site may require one
    let verifiedId: string | null = null;
    if (input.identity) {
      if (!verifyIdentity(this.identitySecrets[siteId], input.identity.userId, input.identity.hash)) {
        throw new AppError(ErrorCode.Unauthorized, 'the identity could not be verified');
      }
      verifiedId = input.identity.userId;
    }

    let known: VisitorIdentity | null = null;
    let knownExternal: string | null = null;
    let facts: ContactFacts = {};
    if (bearer !== undefined) {
      const found = await this.contactFacts(siteId, bearer);
      if (!found) throw new AppError(ErrorCode.Unauthorized, 'unknown visitor token');
      known = { contactId: found.id, siteId, name: found.name };
      knownExternal = found.external_id ?? null;
      facts = found;
    }
    if (site.identity?.required && !verifiedId && !knownExternal) throw new AppError(ErrorCode.Unauthorized, 'this site requires a verified identity');
    if (verifiedId && knownExternal && verifiedId !== knownExternal) {
      throw new AppError(ErrorCode.Conflict, 'this browser belongs to another signed-in user: start over without the stored token');
    }

    const lang = this.sites.negotiateLanguage(site, input.language);
    // what a returning visitor answered before is not asked again: the contact's value stands in
    const messages = surveyMessages(lang);
    const visible = this.sites.publicFields(site, lang);
    const skipped = new Set(knownKeys(visible, facts, messages));
    const fields = visible.map((f) => (skipped.has(f.key) ? { ...f, required: false } : f));
    const issues: FieldIssue[] = [];
    const parsed = v.safeParse(buildAnswersSchema(fields, messages), input.answers);
    if (!parsed.success) issues.push(...toFieldIssues(parsed.issues, 'answers'));
    const consent = site.prechat.consent;
    if (consent?.required && !input.consent) issues.push({ path: 'consent', message: messages.consent });
    if (!parsed.success || issues.length > 0) {
      throw new AppError(ErrorCode.InvalidPayload, issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
    }

    const answers = parsed.output as Record<string, string | number | boolean | undefined>;
    for (const key of skipped) answers[key] ??= facts[key as keyof ContactFacts] ?? undefined;
    const survey: SurveyAnswer[] = fields
      .filter((f) => answers[f.key] !== undefined)
      .map((f) => ({ key: f.key, label: f.label, value: answers[f.key] as string | number | boolean }));
    const now = this.clock.now().toISOString();
    let consentRecord: ConsentRecord | null = null;
    if (consent && input.consent) {
      const text = localize(consent.text, lang);
      consentRecord = { text, textHash: sha256(text), policyUrl: consent.policyUrl, acceptedAt: now, siteId, pageUrl: input.pageUrl ?? null, language: lang };
    }

    const contactFields = {
      name: asText(answers.name),
      email: asText(answers.email)?.toLowerCase() ?? null,
      phone: asText(answers.phone),
      language: asText(answers.language) ?? lang,
      time_zone: input.timeZone ?? null,
      user_agent: userAgent ? userAgent.slice(0, 400) : null,
      ...(verifiedId ? { external_id: verifiedId, verified_at: now } : {}),
    };
    const token = known ? undefined : randomToken();
    const contactId = known?.contactId ?? randomUUID();
    const conversationId = randomUUID();

    await this.db.transaction().execute(async (trx) => {
      if (known) {
        const update: Record<string, string> = { updated_at: now };
        for (const [key, value] of Object.entries(contactFields)) if (value !== null) update[key] = value;
        await trx.updateTable('contacts').set(update).where('id', '=', contactId).execute();
      } else {
        await trx
          .insertInto('contacts')
          .values({ id: contactId, site_id: siteId, token_hash: sha256(token as string), ...contactFields, created_at: now, updated_at: now })
          .execute();
      }
      await trx
        .insertInto('conversations')
        .values(
          newConversationRow(
            {
              id: conversationId,
              site_id: siteId,
              contact_id: contactId,
              inquiry_type: asText(answers.inquiryType),
              answers: JSON.stringify(survey),
              consent: consentRecord ? JSON.stringify(consentRecord) : null,
              page_url: input.pageUrl ?? null,
            },
            now,
          ),
        )
        .execute();
      await this.recordWebhooks(trx, contactId, conversationId, known ? (contactFields.name !== facts.name || contactFields.email !== facts.email || contactFields.phone !== facts.phone ? 'contact.updated' : null) : 'contact.created');
    });
    if (known) contactChanged(this.db, contactId);
    // a returning contact's new name, email or phone must find their earlier conversations too
    if (known && (contactFields.name !== facts.name || contactFields.email !== facts.email || contactFields.phone !== facts.phone)) {
      await this.search.indexContact(contactId);
    } else {
      await this.search.indexConversation(conversationId);
    }
    await this.conversations.started(conversationId);
    return token ? { token, contactId, conversationId } : { contactId, conversationId };
  }
}
