import * as v from 'valibot';
import {
  ErrorCode,
  type FieldIssue,
  type PublicSiteConfig,
  type SiteSummary,
  type SurveySetting as GenericSurveySetting,
} from '../../../protocol/src/index';
import { contrastWarnings } from '../config/contrast';
import { type Config, type SiteConfig, SiteConfigSchema } from '../config/schema';
import { AppError, invalidPayload, toFieldIssues } from '../errors';
import type { Logger } from '../logger';
import type { Db } from '../store/db';
import type { SiteSettingsTable } from '../store/schema';
import type { Clock } from './clock';
import { SavedSettings } from './saved-settings';
import type { SiteDirectory } from './site-directory';

/**
 * The part of a site an admin edits in the console: everything in the site's
 * config but its name, its allowed origins and its auto-replies (which have
 * their own screen). Built from the config file's schema, so what the file
 * gains the console's edits gain too, checked the same way.
 */
export const SiteSurveySchema = v.omit(SiteConfigSchema, ['name', 'allowedOrigins', 'autoReplies']);
export type SiteSurvey = v.InferOutput<typeof SiteSurveySchema>;

const EDITABLE = Object.keys(SiteSurveySchema.entries) as (keyof SiteSurvey)[];

/** The editable part of a site. */
export function surveyOf(site: SiteConfig): SiteSurvey {
  const out: Record<string, unknown> = {};
  for (const key of EDITABLE) if (site[key] !== undefined) out[key] = site[key];
  return out as SiteSurvey;
}

/** The site with its editable part replaced as a whole (a key the edit leaves out is not taken from the file). */
export function withSurvey(site: SiteConfig, survey: SiteSurvey): SiteConfig {
  const out: Record<string, unknown> = { ...site };
  for (const key of EDITABLE) delete out[key];
  return { ...out, ...survey } as SiteConfig;
}

/** A site's survey as the editor loads it (protocol's shape, with the server's type of the value). */
export type SurveySetting = GenericSurveySetting<SiteSurvey>;

/** Parsed JSON, or undefined when the text is not JSON (then no schema passes it). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Stored = { value: SiteSurvey; site: SiteConfig; updatedAt: string; updatedBy: string | null };

/**
 * One issue per field whose key an earlier field already uses, at that field's
 * key (`prechat.fields[3].key`), read from the raw edit so it is reported even
 * when other parts of the edit are wrong too.
 */
function duplicateKeyIssues(input: unknown): FieldIssue[] {
  const fields = (input as { prechat?: { fields?: unknown } } | null)?.prechat?.fields;
  if (!Array.isArray(fields)) return [];
  const seen = new Map<string, number>();
  const issues: FieldIssue[] = [];
  fields.forEach((field: unknown, i) => {
    const key = (field as { key?: unknown } | null)?.key;
    if (typeof key !== 'string') return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else issues.push({ path: `prechat.fields[${i}].key`, message: `the key "${key}" is already used by field ${first + 1}` });
  });
  return issues;
}

/**
 * The survey, texts, looks and languages of each site in force: an admin's
 * saved edit wins over the config file's value. Edits pass the config file's
 * schema; the cache is read from the store again when older than a few
 * seconds, so every node converges on the same survey. `SiteDirectory.get`
 * reads through it, so the public config and the check of a visitor's answers
 * both follow a saved edit.
 */
export class SiteSettings {
  private readonly stored: SavedSettings<SiteSettingsTable, Stored>;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly sites: SiteDirectory,
    private readonly clock: Clock,
    log?: Logger,
  ) {
    this.stored = new SavedSettings({
      load: () => this.db.selectFrom('site_settings').selectAll().execute(),
      validate: (row) => {
        const value = v.parse(SiteSurveySchema, JSON.parse(row.value));
        return [row.site_id, { value, site: withSurvey(this.fileSite(row.site_id), value), updatedAt: row.updated_at, updatedBy: row.updated_by }];
      },
      rejected: (row, error) => log?.warn({ siteId: row.site_id, err: error }, 'ignoring a saved site survey that is no longer valid'),
      clock,
      log,
      name: 'site settings',
    });
    sites.useOverrides((siteId) => {
      this.stored.peek();
      return this.stored.get(siteId)?.site ?? null;
    });
  }

  private fileSite(siteId: string): SiteConfig {
    if (!Object.hasOwn(this.config.sites, siteId)) throw new AppError(ErrorCode.NotFound, `no site ${siteId}`);
    return this.config.sites[siteId] as SiteConfig;
  }

  /** Reads every saved edit; one that no longer passes the schema (or whose site is gone) is logged and ignored. */
  refresh(): Promise<void> {
    return this.stored.refresh();
  }

  /** Refreshes when the cache is old; for the asynchronous paths (routes). */
  fresh(): Promise<void> {
    return this.stored.fresh();
  }

  /** Every site, with where its survey comes from. */
  async list(): Promise<SiteSummary[]> {
    await this.fresh();
    return Object.entries(this.config.sites).map(([id, site]) => ({ id, name: site.name, source: this.stored.has(id) ? 'database' : 'file' }));
  }

  /** One site's survey in force, the file's, and where it comes from. */
  async view(siteId: string): Promise<SurveySetting> {
    const file = this.fileSite(siteId);
    await this.fresh();
    const saved = this.stored.get(siteId);
    const value = saved ? saved.value : surveyOf(file);
    return {
      siteId,
      name: file.name,
      source: saved ? 'database' : 'file',
      value,
      file: surveyOf(file),
      updatedAt: saved?.updatedAt ?? null,
      updatedBy: saved?.updatedBy ?? null,
      warnings: contrastWarnings(value.theme),
    };
  }

  /**
   * Checks an edit with the config file's schema; throws `invalid_payload` with
   * one issue per bad place, by path inside the value (`prechat.fields[2].type`).
   */
  check(siteId: string, input: unknown): SiteSurvey {
    this.fileSite(siteId);
    const result = v.safeParse(SiteSurveySchema, input);
    const issues = [...(result.success ? [] : toFieldIssues(result.issues)), ...duplicateKeyIssues(input)];
    if (result.success && issues.length === 0) return result.output;
    throw invalidPayload(issues, 'invalid survey');
  }

  /**
   * Stores a checked edit; it applies at once on this node and within seconds on the others.
   * `expectedUpdatedAt` is the `updatedAt` the admin's draft was loaded with (null for the file's
   * survey): when the stored edit has changed since, the save is refused with `conflict` rather than
   * silently replacing another admin's work. Left out, the last save wins (scripts, old consoles).
   */
  async save(siteId: string, input: unknown, agentId: string, expectedUpdatedAt?: string | null): Promise<SurveySetting> {
    const value = this.check(siteId, input);
    const json = JSON.stringify(value);
    // read and write in one transaction, so two admins saving at once cannot both pass the check
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('site_settings').select(['value', 'updated_at']).where('site_id', '=', siteId).executeTakeFirst();
      // a stored edit that no longer passes the schema is not in force: the editor was shown the file's (updatedAt null)
      const current = row && v.safeParse(SiteSurveySchema, parseJson(row.value)).success ? row.updated_at : null;
      if (expectedUpdatedAt !== undefined && expectedUpdatedAt !== current)
        throw new AppError(
          ErrorCode.Conflict,
          'Another admin saved this site’s survey after you opened it, so yours was not saved. Reload the site to see their version, then make your changes again.',
        );
      // a stamp later than the one it replaces, even within the same millisecond, so a draft loaded before never matches it
      const last = row ? Date.parse(row.updated_at) + 1 || 0 : 0;
      const now = new Date(Math.max(this.clock.now().getTime(), last)).toISOString();
      await trx
        .insertInto('site_settings')
        .values({ site_id: siteId, value: json, updated_at: now, updated_by: agentId })
        .onConflict((oc) => oc.column('site_id').doUpdateSet({ value: json, updated_at: now, updated_by: agentId }))
        .execute();
    });
    await this.refresh();
    return this.view(siteId);
  }

  /** Drops an admin's edit: the config file's value applies again. */
  async reset(siteId: string): Promise<SurveySetting> {
    this.fileSite(siteId);
    await this.db.deleteFrom('site_settings').where('site_id', '=', siteId).execute();
    await this.refresh();
    return this.view(siteId);
  }

  /** What the widget would receive for a draft in a language, without storing anything. */
  preview(siteId: string, input: unknown, lang: string | undefined): { config: PublicSiteConfig; warnings: string[] } {
    const value = this.check(siteId, input);
    return { config: this.sites.publicConfig(siteId, withSurvey(this.fileSite(siteId), value), lang), warnings: contrastWarnings(value.theme) };
  }
}
