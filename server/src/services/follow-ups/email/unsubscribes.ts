import * as v from 'valibot';
import type { Db } from '../../../store/db';
import type { SiteDirectory } from '../../site-directory';
import type { FollowUpConsent } from '../opt-out';
import { verifyContact } from './links';

/** The query of an unsubscribe link: `c` the contact id, `s` its signature. */
export const UnsubscribeQuerySchema = v.object({
  c: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  s: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
});

/** Whose link it is, for the page: the contact's language and the site's name. */
export interface UnsubscribeTarget {
  contactId: string;
  language: string | null;
  siteName: string;
}

/**
 * The unsubscribe link's service: a link is honoured only with a valid signature;
 * looking at it changes nothing, confirming it records the opt-out as proof.
 */
export class Unsubscribes {
  constructor(
    private readonly db: Db,
    private readonly consent: FollowUpConsent,
    private readonly sites: SiteDirectory,
    private readonly secret: string,
  ) {}

  /** The contact a link names, or null when the link is malformed, forged or names nobody. */
  async target(query: unknown): Promise<UnsubscribeTarget | null> {
    const parsed = v.safeParse(UnsubscribeQuerySchema, query);
    if (!parsed.success || !verifyContact(this.secret, parsed.output.c, parsed.output.s)) return null;
    const contact = await this.db.selectFrom('contacts').select(['id', 'site_id', 'language']).where('id', '=', parsed.output.c).executeTakeFirst();
    if (!contact) return null;
    return { contactId: contact.id, language: contact.language, siteName: this.sites.get(contact.site_id)?.name ?? contact.site_id };
  }

  /** Opts the link's contact out of follow-ups (`via: 'email'`); null, changing nothing, for a bad link. */
  async optOut(query: unknown, detail: string): Promise<UnsubscribeTarget | null> {
    const target = await this.target(query);
    if (target) await this.consent.set(target.contactId, false, 'email', detail);
    return target;
  }
}
