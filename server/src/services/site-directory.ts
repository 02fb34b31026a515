import { followUpTexts } from '../i18n/follow-up-texts';
import {
  type FollowUpTexts,
  type Localized,
  type PublicField,
  type PublicLauncher,
  type PublicSiteConfig,
  localize,
} from '../../../protocol/src/index';
import type { Config, SiteConfig } from '../config/schema';
import { surveyMessages, widgetLanguage, widgetTexts } from '../i18n/widget-texts';
import type { Db } from '../store/db';

const RTL = new Set(['ar', 'he', 'fa', 'ur']);

/** The theme the loader draws without being told (its CSS fallbacks, the config's defaults). */
const LAUNCHER_DEFAULTS: Record<string, unknown> = { primary: '#2563eb', onPrimary: '#ffffff', position: 'right', offsetX: 20, offsetY: 20, launcher: 'icon', mode: 'light' };

/** The site's languages, its default first: the owner's list, else every language its texts are written in. */
export function siteLanguages(site: SiteConfig): string[] {
  if (site.languages) return [...new Set([site.defaultLanguage, ...site.languages])];
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
  private override: ((siteId: string, file: SiteConfig) => SiteConfig | null) | null = null;
  private sendsEmail = false;

  constructor(private readonly config: Config) {}

  /** Lets another service add fields to the public config (auto-replies: availability and business profile). */
  extendPublicConfig(extension: (siteId: string, lang: string) => Partial<PublicSiteConfig> | null): void {
    this.extension = extension;
  }

  /** The server sends email (SMTP is set up): the public config says so, and the widget offers the transcript. */
  announceEmail(): void {
    this.sendsEmail = true;
  }

  /** Lets the admins' saved edits stand in for the file's site (site-settings: survey, texts, looks, languages). */
  useOverrides(override: (siteId: string, file: SiteConfig) => SiteConfig | null): void {
    this.override = override;
  }

  /** The site in force: the config file's, with an admin's saved edit over it when there is one. */
  get(siteId: string): SiteConfig | undefined {
    if (!Object.hasOwn(this.config.sites, siteId)) return undefined;
    const file = this.config.sites[siteId] as SiteConfig;
    return this.override?.(siteId, file) ?? file;
  }

  ids(): string[] {
    return Object.keys(this.config.sites);
  }

  /**
   * The best language of the site for what the visitor prefers (one tag or a comma-separated list, best first,
   * as `navigator.languages`): for each preference in turn, the same tag, then the same base language
   * (`ru-RU` finds `ru`; `zh-HK` finds `zh-TW` before `zh-CN`); else the site's default.
   */
  negotiateLanguage(site: SiteConfig, requested: string | undefined, languages = siteLanguages(site)): string {
    const lowered = languages.map((l) => l.toLowerCase());
    const wanted = (requested ?? '')
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter((t) => /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(t))
      .slice(0, 10);
    for (const tag of wanted) {
      const exact = lowered.indexOf(tag);
      if (exact >= 0) return languages[exact] as string;
      // the same base language, the same script first: zh-HK and zh-Hant find zh-TW before zh-CN
      const base = tag.split('-')[0];
      const sameBase = (l: string) => l.split('-')[0] === base;
      const same = lowered.findIndex((l) => sameBase(l) && widgetLanguage(l) === widgetLanguage(tag));
      const other = same >= 0 ? same : lowered.findIndex(sameBase);
      if (other >= 0) return languages[other] as string;
    }
    return site.defaultLanguage;
  }

  publicFields(site: SiteConfig, lang: string): PublicField[] {
    return site.prechat.fields.map((f) => {
      const field: PublicField = { key: f.key, type: f.type, label: localize(f.label, lang), required: f.required };
      if (f.placeholder !== undefined) field.placeholder = localize(f.placeholder, lang);
      if (f.help !== undefined) field.help = localize(f.help, lang);
      if (f.options) field.options = f.options.map((o) => ({ value: o.value, label: localize(o.label, lang) }));
      if (f.maxLength !== undefined) field.maxLength = f.maxLength;
      if (f.default !== undefined) field.default = f.default;
      if (f.pattern !== undefined) {
        field.pattern = f.pattern;
        if (f.patternError !== undefined) field.patternError = localize(f.patternError, lang);
      }
      if (f.source !== undefined) field.source = { ...f.source };
      return field;
    });
  }

  /** The launcher's looks and names in the visitor's language: what the loader shows before any interest in chatting. */
  publicLauncher(site: SiteConfig, requested: string | undefined): PublicLauncher {
    const lang = this.negotiateLanguage(site, requested);
    const ui = widgetTexts(lang);
    return {
      language: lang,
      // what the loader's own styles already are goes unsaid: every page view pays for these bytes
      theme: Object.fromEntries(Object.entries(site.theme).filter(([key, value]) => LAUNCHER_DEFAULTS[key] !== value)),
      launcher: localize(site.texts.launcher, lang),
      openChat: ui.openChat,
      closeChat: ui.closeChat,
    };
  }

  /** The unread badge's words in the visitor's language (sent with the unread summary). */
  badgeTexts(site: SiteConfig, requested: string | undefined): Pick<FollowUpTexts, 'unread' | 'dismiss'> {
    const { unread, dismiss } = followUpTexts(this.negotiateLanguage(site, requested));
    return { unread, dismiss };
  }

  /**
   * What the widget shows in the visitor's language. `known` lists the fields this visitor already answered
   * (their token came with the request), which the widget skips.
   */
  publicConfig(siteId: string, site: SiteConfig, requested: string | undefined, known?: string[]): PublicSiteConfig {
    const languages = siteLanguages(site);
    const lang = this.negotiateLanguage(site, requested, languages);
    const t = site.texts;
    const consent = site.prechat.consent;
    const base: PublicSiteConfig = {
      siteId,
      language: lang,
      direction: RTL.has(lang.split('-')[0] ?? '') ? 'rtl' : 'ltr',
      languages,
      texts: {
        title: localize(t.title, lang),
        greeting: localize(t.greeting, lang),
        launcher: localize(t.launcher, lang),
        startButton: localize(t.startButton, lang),
        placeholder: localize(t.placeholder, lang),
        offlineTitle: localize(t.offlineTitle, lang),
      },
      theme: { ...site.theme },
      prechat: {
        fields: this.publicFields(site, lang),
        consent: consent ? { required: consent.required, text: localize(consent.text, lang), policyUrl: consent.policyUrl } : null,
        ...(known ? { known } : {}),
      },
      messages: surveyMessages(lang),
      ui: widgetTexts(lang),
      followUpTexts: followUpTexts(lang),
      ...(this.sendsEmail ? { email: true } : {}),
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
