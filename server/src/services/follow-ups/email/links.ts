import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../../store/db';
import { randomToken } from '../../crypto';

const SECRET_KEY = 'email_link_secret';
export const UNSUBSCRIBE_PATH = '/api/v1/follow-ups/unsubscribe';

/** HMAC-SHA256 of the contact id, base64url: the proof that an unsubscribe link came from us. */
export function signContact(secret: string, contactId: string): string {
  return createHmac('sha256', secret).update(contactId).digest('base64url');
}

/** True when `sig` is the signature of `contactId`, compared in constant time. */
export function verifyContact(secret: string, contactId: string, sig: string): boolean {
  const expected = Buffer.from(signContact(secret, contactId));
  const actual = Buffer.from(sig);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The one-click unsubscribe link of a contact (RFC 8058), absolute under the server's public URL. */
export function unsubscribeUrl(publicUrl: string, secret: string, contactId: string): string {
  const url = new URL(UNSUBSCRIBE_PATH, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
  url.search = new URLSearchParams({ c: contactId, s: signContact(secret, contactId) }).toString();
  return url.toString();
}

/** The page the chat started on with `#parley-chat=<id>`, which makes the widget open that chat; null unless http(s). */
export function chatLink(pageUrl: string | null, conversationId: string): string | null {
  if (!pageUrl) return null;
  try {
    const url = new URL(pageUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    url.hash = `parley-chat=${conversationId}`;
    return url.toString();
  } catch {
    return null;
  }
}

/**
 * The key that signs unsubscribe links: `EMAIL_LINK_SECRET` when set, else one made once and
 * kept in the store's settings, so links in emails already sent keep working after a restart
 * (and on every node).
 */
export async function linkSecret(db: Db, fromEnvironment: string | undefined, now: string): Promise<string> {
  if (fromEnvironment) return fromEnvironment;
  await db
    .insertInto('settings')
    .values({ key: SECRET_KEY, value: randomToken(32), updated_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', SECRET_KEY).executeTakeFirstOrThrow();
  return row.value;
}
