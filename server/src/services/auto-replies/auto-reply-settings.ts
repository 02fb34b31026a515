import * as v from 'valibot';
import { type AutoReplyScope, type AutoReplySetting, ErrorCode } from '../../../../protocol/src';
import {
  type GlobalAutoReplies,
  NO_AUTO_REPLIES,
  QuickRepliesSchema,
  RulesSchema,
  ScheduleSchema,
  type SiteAutoReplies,
  SiteAutoRepliesSchema,
  autoReplyReferenceProblems,
} from '../../config/auto-replies';
import { ConfigError } from '../../config/load';
import type { Config } from '../../config/schema';
import { AppError, parseOrThrow } from '../../errors';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import type { AutoReplySettingsTable } from '../../store/schema';
import type { Clock } from '../clock';
import { SavedSettings } from '../saved-settings';

type Stored = { value: unknown; updatedAt: string; updatedBy: string | null };

const SchedulesSchema = v.pipe(
  v.record(v.pipe(v.string(), v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,39}$/, 'expected a schedule name of letters, digits, - or _')), ScheduleSchema),
  v.check((r) => Object.keys(r).length <= 100, 'at most 100 schedules'),
);

/**
 * The auto-reply settings in force: an admin's saved edit of a scope wins over
 * the config file's value. Edits pass the config file's schemas; the cache is
 * read from the store again when older than a few seconds, so every node
 * converges on the same settings.
 */
export class AutoReplySettings {
  private readonly stored: SavedSettings<AutoReplySettingsTable, Stored>;

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly clock: Clock,
    log?: Logger,
  ) {
    const problems = autoReplyReferenceProblems(config.autoReplies, config.sites, config.routing?.teams ?? {});
    if (problems.length > 0) throw new ConfigError('config', problems);
    this.stored = new SavedSettings({
      load: () => this.db.selectFrom('auto_reply_settings').selectAll().execute(),
      validate: (row) => [row.scope, { value: v.parse(this.schemaOf(row.scope), JSON.parse(row.value)), updatedAt: row.updated_at, updatedBy: row.updated_by }],
      rejected: (row, error) => log?.warn({ scope: row.scope, err: error }, 'ignoring a saved auto-reply setting that is no longer valid'),
      clock,
      log,
      name: 'auto-reply settings',
    });
  }

  /** The schema an edit of a scope must pass. */
  private schemaOf(scope: string): v.GenericSchema {
    if (scope === 'quick-replies') return QuickRepliesSchema;
    if (scope === 'rules') return RulesSchema;
    if (scope === 'schedules') return SchedulesSchema;
    if (scope.startsWith('site:') && Object.hasOwn(this.config.sites, scope.slice(5))) return SiteAutoRepliesSchema;
    throw new AppError(ErrorCode.NotFound, `no auto-reply scope ${scope}`);
  }

  /** Every scope an admin may edit. */
  scopes(): AutoReplyScope[] {
    return ['quick-replies', 'rules', 'schedules', ...Object.keys(this.config.sites).map((id) => `site:${id}` as const)];
  }

  private fileValue(scope: string): unknown {
    const global = this.config.autoReplies;
    if (scope === 'quick-replies') return global.quickReplies;
    if (scope === 'rules') return global.rules;
    if (scope === 'schedules') return global.schedules;
    return this.config.sites[scope.slice(5)]?.autoReplies ?? null;
  }

  /** Reads every saved edit; one that no longer passes its schema is logged and ignored. */
  refresh(): Promise<void> {
    return this.stored.refresh();
  }

  /** Refreshes when the cache is old; for the asynchronous paths (listeners, routes). */
  fresh(): Promise<void> {
    return this.stored.fresh();
  }

  private current<T>(scope: string): T {
    this.stored.peek();
    const saved = this.stored.get(scope);
    return (saved ? saved.value : this.fileValue(scope)) as T;
  }

  /** The site's auto-replies in force (nothing configured: none). */
  site(siteId: string): SiteAutoReplies {
    return this.current<SiteAutoReplies | null>(`site:${siteId}`) ?? NO_AUTO_REPLIES;
  }

  /** True when the site has auto-replies configured at all (in the file or by an admin). */
  configured(siteId: string): boolean {
    return this.current<SiteAutoReplies | null>(`site:${siteId}`) !== null;
  }

  /** Schedules, rules for every site and quick replies in force. */
  global(): GlobalAutoReplies {
    return {
      schedules: this.current('schedules'),
      rules: this.current('rules'),
      quickReplies: this.current('quick-replies'),
    };
  }

  /** Every scope with its value in force and where it comes from. */
  async view(): Promise<AutoReplySetting[]> {
    await this.fresh();
    return this.scopes().map((scope) => {
      const saved = this.stored.get(scope);
      return {
        scope,
        source: saved ? 'database' : 'file',
        value: saved ? saved.value : this.fileValue(scope),
        file: this.fileValue(scope),
        updatedAt: saved?.updatedAt ?? null,
        updatedBy: saved?.updatedBy ?? null,
      };
    });
  }

  /** Checks an admin's edit with the config file's schema and stores it; it applies at once. */
  async save(scope: string, input: unknown, agentId: string): Promise<AutoReplySetting> {
    const value = parseOrThrow(this.schemaOf(scope), input, 'value');
    const schedules = scope === 'schedules' ? (value as GlobalAutoReplies['schedules']) : this.global().schedules;
    const sites =
      scope.startsWith('site:') ? { [scope.slice(5)]: { autoReplies: value as SiteAutoReplies } } : scope === 'schedules' ? this.allSites() : {};
    const problems = autoReplyReferenceProblems({ ...this.global(), schedules }, sites, this.config.routing?.teams ?? {});
    if (problems.length > 0) {
      throw new AppError(
        ErrorCode.InvalidPayload,
        problems.join('; '),
        problems.map((p) => ({ path: p.split(': ')[0] as string, message: p.split(': ').slice(1).join(': ') })),
      );
    }
    const now = this.clock.now().toISOString();
    const json = JSON.stringify(value);
    await this.db
      .insertInto('auto_reply_settings')
      .values({ scope, value: json, updated_at: now, updated_by: agentId })
      .onConflict((oc) => oc.column('scope').doUpdateSet({ value: json, updated_at: now, updated_by: agentId }))
      .execute();
    await this.refresh();
    return (await this.view()).find((s) => s.scope === scope) as AutoReplySetting;
  }

  /** Drops an admin's edit: the config file's value applies again. */
  async reset(scope: string): Promise<AutoReplySetting> {
    this.schemaOf(scope);
    await this.db.deleteFrom('auto_reply_settings').where('scope', '=', scope).execute();
    await this.refresh();
    return (await this.view()).find((s) => s.scope === scope) as AutoReplySetting;
  }

  private allSites(): Record<string, { autoReplies: SiteAutoReplies }> {
    const out: Record<string, { autoReplies: SiteAutoReplies }> = {};
    for (const id of Object.keys(this.config.sites)) out[id] = { autoReplies: this.site(id) };
    return out;
  }
}
