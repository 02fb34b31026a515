import type { SurveyAnswer } from '../../../../protocol/src';
import type { Answer, RoutingFacts } from '../../domain/routing';
import type { Db } from '../../store/db';
import { parseJsonList } from '../json-list';
import type { ConversationRow } from '../mappers';

const record = (answers: SurveyAnswer[]): Record<string, Answer> => Object.fromEntries(answers.map((a) => [a.key, a.value]));

function parseObject(json: string | null | undefined): Record<string, Answer> {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Answer>) : {};
  } catch {
    return {};
  }
}

/** Gathers what the routing rules look at: survey answers, contact, history. */
export async function routingFacts(db: Db, row: ConversationRow): Promise<RoutingFacts> {
  const contact = await db
    .selectFrom('contacts')
    .select(['email', 'language', 'attributes', 'labels', 'external_id'])
    .where('id', '=', row.contact_id)
    .executeTakeFirstOrThrow();
  const answers = record(JSON.parse(row.answers) as SurveyAnswer[]);
  const attributes = parseObject(contact.attributes);
  const earlier = await earlierConversations(db, row, contact.external_id ?? null).select('id').limit(1).executeTakeFirst();
  const country = answers.country ?? attributes.country;
  const language = answers.language ?? contact.language;
  return {
    siteId: row.site_id,
    inquiryType: row.inquiry_type,
    language: language === undefined || language === null ? null : String(language),
    country: typeof country === 'string' && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
    email: contact.email,
    verified: !!contact.external_id,
    externalId: contact.external_id ?? null,
    returning: earlier !== undefined,
    pageUrl: row.page_url,
    labels: [...parseJsonList(contact.labels), ...parseJsonList(row.labels)],
    attributes,
    answers,
  };
}

/**
 * Conversations before this one of the same contact (the visitor's own token), or of the same
 * verified user on the same site (another browser of a signed-in customer). A typed email never
 * links contacts: anyone can type anyone's. The contacts are picked first (by id, and by the site
 * and external id index), so the conversations are found through their contact index.
 */
export function earlierConversations(db: Db, row: Pick<ConversationRow, 'id' | 'contact_id' | 'site_id' | 'created_at'>, externalId: string | null) {
  return db
    .selectFrom('conversations')
    .where('contact_id', 'in', (eb) =>
      eb
        .selectFrom('contacts')
        .select('contacts.id')
        .where((c) =>
          externalId
            ? c.or([c('contacts.id', '=', row.contact_id), c.and([c('contacts.site_id', '=', row.site_id), c('contacts.external_id', '=', externalId)])])
            : c('contacts.id', '=', row.contact_id),
        ),
    )
    .where('id', '!=', row.id)
    .where('created_at', '<=', row.created_at);
}
