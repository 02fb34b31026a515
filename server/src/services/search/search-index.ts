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

/** What a conversation's document holds: the contact's fields and answers, and the phone's digits alone. */
export function documentText(contact: { name: string | null; email: string | null; phone: string | null }, answers: readonly { value: unknown }[]): string {
  const parts = [contact.name, contact.email, contact.phone, contact.phone?.replace(/\D/g, '')];
  for (const a of answers) if (typeof a.value === 'string' || typeof a.value === 'number') parts.push(String(a.value));
  return parts.filter((p): p is string => !!p).join(' \n ');
}
