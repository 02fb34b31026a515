import type { Db } from '../../store/db';
/**
 * Full-text search over conversations: the contact (name, email, phone), the
 * survey answers (order IDs…) and the message text. One interface, so the
 * embedded store's FTS5 index has a PostgreSQL `tsvector` twin later.
 */
export interface SearchIndex {
  /** (Re)writes the conversation's document from its contact and survey answers. */
  indexConversation(conversationId: string): Promise<void>;
  /** Every conversation of a contact, after its name, email or phone changed. */
  indexContact(contactId: string): Promise<void>;
  /** Ids of matching conversations, most recently active first, at most `limit`. */
  search(text: string, limit: number): Promise<string[]>;
}

/** Words of a search as the index splits them: letters and digits, lowercased, at most 8. */
export function searchTerms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}

/** A conversation's document from the store (its contact and answers), or null when it is gone. */
export async function conversationDocument(db: Db, conversationId: string): Promise<string | null> {
  const row = await db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .select(['contacts.name', 'contacts.email', 'contacts.phone', 'conversations.answers'])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  if (!row) return null;
  let answers: { value: unknown }[] = [];
  try {
    answers = JSON.parse(row.answers) as { value: unknown }[];
  } catch {
    // a malformed answers column still indexes the contact
  }
  return documentText(row, answers);
}

/** Every conversation of a contact (the latest 200), to index again after its name, email or phone changed. */
export async function contactConversations(db: Db, contactId: string): Promise<string[]> {
  const rows = await db.selectFrom('conversations').select('id').where('contact_id', '=', contactId).orderBy('updated_at', 'desc').limit(200).execute();
  return rows.map((r) => r.id);
}

/** What a conversation's document holds: the contact's fields and answers, and the phone's digits alone. */
export function documentText(contact: { name: string | null; email: string | null; phone: string | null }, answers: readonly { value: unknown }[]): string {
  const parts = [contact.name, contact.email, contact.phone, contact.phone?.replace(/\D/g, '')];
  for (const a of answers) if (typeof a.value === 'string' || typeof a.value === 'number') parts.push(String(a.value));
  return parts.filter((p): p is string => !!p).join(' \n ');
}
