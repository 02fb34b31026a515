import {
  ENGLISH_SURVEY_MESSAGES,
  type Localized,
  type PublicField,
  type PublicSiteConfig,
  localize,
} from '../../../protocol/src/index';
import type { Config, SiteConfig } from '../config/schema';
import type { Db } from '../store/db';

const RTL = new Set(['ar', 'he', 'fa', 'ur']);

/** Every language tag a site's texts are written in, its default first. */
function siteLanguages(site: SiteConfig): string[] {
  const found = new Set<string>([site.defaultLanguage]);
  const visit = (text: Localized | undefined) => {
    if (text && typeof text === 'object') for (const tag of Object.keys(text)) found.add(tag);
  };
  Object.values(site.texts).forEach(visit);
  for (const field of site.prechat.fields) {
    visit(field.label);
    visit(field.placeholder);
    visit(field.help);
    field.options?.forEach((o) => visit(o.label));
  }
  visit(site.prechat.consent?.text);
  return [...found];
}

/** The configured sites, and what each one shows a visitor in a given language. */
export class SiteDirectory {
  private extension: ((siteId: string, lang: string) => Partial<PublicSiteConfig> | null) | null = null;

  constructor(private readonly config: Config) {}

  /** Lets another service add fields to the public config (auto-replies: availability and business profile). */
  extendPublicConfig(extension: (siteId: string, lang: string) => Partial<PublicSiteConfig> | null): void {
    this.extension = extension;
  }

  get(siteId: string): SiteConfig | undefined {
    return Object.hasOwn(this.config.sites, siteId) ? this.config.sites[siteId] : undefined;
  }

  ids(): string[] {
    return Object.keys(this.config.sites);
  }

  /** The best language of the site for a requested tag: exact, then same base, then the default. */
  negotiateLanguage(site: SiteConfig, requested: string | undefined): string {
    const languages = siteLanguages(site);
    if (!requested) return site.defaultLanguage;
    const lower = requested.toLowerCase();
    const exact = languages.find((l) => l.toLowerCase() === lower);
    if (exact) return exact;
    const base = lower.split('-')[0];
    return languages.find((l) => l.toLowerCase().split('-')[0] === base) ?? site.defaultLanguage;
  }

  publicFields(site: SiteConfig, lang: string): PublicField[] {
    return site.prechat.fields.map((f) => {
      const field: PublicField = { key: f.key, type: f.type, label: localize(f.label, lang), required: f.required };
      if (f.placeholder !== undefined) field.placeholder = localize(f.placeholder, lang);
      if (f.help !== undefined) field.help = localize(f.help, lang);
      if (f.options) field.options = f.options.map((o) => ({ value: o.value, label: localize(o.label, lang) }));
      if (f.maxLength !== undefined) field.maxLength = f.maxLength;
      return field;
    });
  }

  publicConfig(siteId: string, site: SiteConfig, requested: string | undefined): PublicSiteConfig {
    const lang = this.negotiateLanguage(site, requested);
    const t = site.texts;
    const consent = site.prechat.consent;
    const base: PublicSiteConfig = {
      siteId,
      language: lang,
      direction: RTL.has(lang.split('-')[0] ?? '') ? 'rtl' : 'ltr',
      texts: {
        title: localize(t.title, lang),
        greeting: localize(t.greeting, lang),
        launcher: localize(t.launcher, lang),
        startButton: localize(t.startButton, lang),
        placeholder: localize(t.placeholder, lang),
      },
      theme: { ...site.theme },
      prechat: {
        fields: this.publicFields(site, lang),
        consent: consent ? { required: consent.required, text: localize(consent.text, lang), policyUrl: consent.policyUrl } : null,
      },
      messages: ENGLISH_SURVEY_MESSAGES,
    };
    const extra = this.extension?.(siteId, lang);
    return extra ? { ...base, ...extra } : base;
  }

  /** May a page of this origin talk to this site? Same-origin pages always may. */
  isOriginAllowed(site: SiteConfig, origin: string | undefined, selfOrigin: string | undefined): boolean {
    if (!origin || origin === selfOrigin) return true;
    return site.allowedOrigins.includes('*') || site.allowedOrigins.includes(origin);
  }

  /** Makes sure every configured site has its row, so foreign keys hold. */
  async syncToStore(db: Db, now: string): Promise<void> {
    for (const [id, site] of Object.entries(this.config.sites)) {
      await db
        .insertInto('sites')
        .values({ id, name: site.name, created_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: site.name }))
        .execute();
    }
  }
}
