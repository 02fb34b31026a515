import * as v from 'valibot';
import { LocalizedSchema } from '../../../protocol/src/index';
import { WEEKDAYS, isValidTimeZone } from '../domain/business-hours';
import { patternProblems } from '../domain/keyword-rules';
import { templateProblems } from '../domain/templates';

/**
 * valibot schemas of everything auto-replies read: business hours, the
 * business profile, welcome / away / busy messages, keyword rules and quick
 * replies. The config file and the admins' edits in the console pass the same
 * schemas, so a bad regex or an unknown `{{variable}}` is refused by path
 * before any visitor could see it.
 */

const Time = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected a time such as 09:00 (24:00 ends a day)'));

const RangeSchema = v.pipe(
  v.object({ from: Time, to: Time }),
  v.check((r) => r.from !== '24:00', 'a range cannot start at 24:00'),
);

const IsoDate = v.pipe(
  v.string(),
  v.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected a date such as 2025-12-24'),
  v.check((s) => new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'no such date'),
);

const Ranges = v.pipe(v.array(RangeSchema), v.maxLength(12, 'at most 12 ranges per day'));

export const ScheduleSchema = v.object({
  timeZone: v.pipe(v.string(), v.check(isValidTimeZone, 'expected an IANA time zone such as Europe/Berlin')),
  weekly: v.optional(v.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, v.optional(Ranges)])) as Record<(typeof WEEKDAYS)[number], v.OptionalSchema<typeof Ranges, undefined>>), {}),
  exceptions: v.optional(
    v.pipe(
      v.array(v.object({ date: IsoDate, ranges: Ranges, note: v.optional(v.pipe(v.string(), v.maxLength(200))) })),
      v.maxLength(500),
      v.check((list) => new Set(list.map((e) => e.date)).size === list.length, 'each date may have one exception'),
    ),
    [],
  ),
});
export type ScheduleConfig = v.InferOutput<typeof ScheduleSchema>;

/** A text with `{{variables}}`, once or per language; each problem is reported at its own path. */
const TemplateString = v.pipe(
  v.string(),
  v.maxLength(2000),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const problem of templateProblems(dataset.value)) addIssue({ message: problem });
  }),
);
export const TemplateSchema = v.union([
  TemplateString,
  v.pipe(
    v.record(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en or zh-CN')), TemplateString),
    v.check((r) => Object.keys(r).length > 0, 'expected at least one language'),
  ),
]);

const ScheduleName = v.pipe(v.string(), v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,39}$/, 'expected a schedule name of letters, digits, - or _'));
const Name = v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(200));
const Slug = v.pipe(v.string(), v.regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,39}$/, 'expected letters, digits, - or _ (up to 40)'));

export const BusinessProfileSchema = v.object({
  name: v.optional(Name),
  address: v.optional(v.pipe(v.string(), v.maxLength(500))),
  email: v.optional(v.pipe(v.string(), v.email('expected an email'))),
  phone: v.optional(v.pipe(v.string(), v.maxLength(40))),
  website: v.optional(v.pipe(v.string(), v.url('expected a URL'), v.regex(/^https?:\/\//, 'expected an http(s) URL'))),
});

const ActionSchema = v.variant('type', [
  v.object({ type: v.literal('reply'), text: TemplateSchema }),
  v.object({ type: v.literal('label'), label: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(40)) }),
  v.object({ type: v.literal('inquiryType'), value: v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(100)) }),
  v.object({ type: v.literal('team'), team: Slug }),
  v.object({ type: v.literal('handover') }),
]);

export const KeywordRuleSchema = v.pipe(
  v.object({
    id: Slug,
    priority: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-1000), v.maxValue(1000)), 0),
    keywords: v.optional(v.pipe(v.array(v.pipe(v.string(), v.trim(), v.nonEmpty('a keyword may not be empty'), v.maxLength(100))), v.minLength(1), v.maxLength(100))),
    mode: v.optional(v.picklist(['any', 'all']), 'any'),
    wholeWord: v.optional(v.boolean(), true),
    pattern: v.optional(
      v.pipe(
        v.string(),
        v.nonEmpty(),
        v.rawCheck(({ dataset, addIssue }) => {
          if (!dataset.typed) return;
          for (const problem of patternProblems(dataset.value)) addIssue({ message: problem });
        }),
      ),
    ),
    flags: v.optional(v.pipe(v.string(), v.regex(/^(?!.*(.).*\1)[ims]*$/, 'flags may only be i, m and s, each once')), 'i'),
    conditions: v.optional(
      v.object({
        inquiryTypes: v.optional(v.array(v.pipe(v.string(), v.maxLength(100)))),
        languages: v.optional(v.array(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag')))),
        sites: v.optional(v.array(v.pipe(v.string(), v.maxLength(40)))),
        beforeAgentReply: v.optional(v.boolean(), false),
      }),
      {},
    ),
    actions: v.pipe(v.array(ActionSchema), v.minLength(1, 'a rule needs at least one action'), v.maxLength(10)),
    continue: v.optional(v.boolean(), false),
  }),
  v.check((r) => (r.keywords === undefined) !== (r.pattern === undefined), 'a rule needs either keywords or a pattern, not both'),
);
export type KeywordRuleConfig = v.InferOutput<typeof KeywordRuleSchema>;

const uniqueIds = <T extends { id: string }>(list: T[]) => new Set(list.map((r) => r.id)).size === list.length;

export const RulesSchema = v.pipe(v.array(KeywordRuleSchema), v.maxLength(200), v.check(uniqueIds, 'rule ids must be unique'));

export const QuickReplySchema = v.object({
  shortcut: v.pipe(v.string(), v.regex(/^[\p{L}\p{N}_-]{1,30}$/u, 'expected a shortcut of letters, digits, - or _ (up to 30), without the /')),
  title: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(80))),
  text: TemplateSchema,
  /** A team id, or absent for everyone. */
  team: v.optional(v.nullable(Slug), null),
});
export type QuickReplyConfig = v.InferOutput<typeof QuickReplySchema>;

export const QuickRepliesSchema = v.pipe(
  v.array(QuickReplySchema),
  v.maxLength(500),
  v.check((list) => new Set(list.map((q) => `${q.team ?? ''}/${q.shortcut.toLowerCase()}`)).size === list.length, 'shortcuts must be unique per team'),
);

/** What the whole server shares: rules for every site (narrowed by `conditions.sites`) and quick replies. */
export const GlobalAutoRepliesSchema = v.object({
  /** Named schedules, for sites (`hours: "name"`) and teams (`routing.teams.<id>.businessHours`). */
  schedules: v.optional(v.record(ScheduleName, ScheduleSchema), {}),
  rules: v.optional(RulesSchema, []),
  quickReplies: v.optional(QuickRepliesSchema, []),
});
export type GlobalAutoReplies = v.InferOutput<typeof GlobalAutoRepliesSchema>;

/** One site's auto-replies: `sites.<id>.autoReplies` in the config file. */
export const SiteAutoRepliesSchema = v.object({
  /** The author name bot messages carry. */
  botName: v.optional(Name, 'Assistant'),
  /** Most auto-replies one conversation gets in an hour. */
  maxPerHour: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50)), 5),
  /** "typically replies …": the owner's words, shown in the widget header. */
  replyTime: v.optional(LocalizedSchema),
  profile: v.optional(BusinessProfileSchema, {}),
  /** The site's hours: a schedule, or the name of one in the top-level `autoReplies.schedules`. Absent: always open. */
  hours: v.optional(v.lazy((input) => (typeof input === 'string' ? ScheduleName : ScheduleSchema))),
  welcome: v.optional(
    v.object({
      text: TemplateSchema,
      /** `firstConversation`: only a contact's first; `everyConversation`: each new one. */
      when: v.optional(v.picklist(['firstConversation', 'everyConversation']), 'firstConversation'),
    }),
  ),
  away: v.optional(
    v.object({
      text: TemplateSchema,
      /** Also away within hours while no agent (of the conversation's team) is online. */
      whenNoAgentOnline: v.optional(v.boolean(), true),
    }),
  ),
  busy: v.optional(v.object({ text: TemplateSchema })),
  rules: v.optional(RulesSchema, []),
});
export type SiteAutoReplies = v.InferOutput<typeof SiteAutoRepliesSchema>;

/** The settings of a site without any auto-replies: no hours (always open), nothing sent. */
export const NO_AUTO_REPLIES: SiteAutoReplies = v.parse(SiteAutoRepliesSchema, {});

/**
 * Cross references a schema cannot see, as `path: problem` lines: a site's
 * `hours` and a team's `businessHours` must name a schedule that exists.
 */
export function autoReplyReferenceProblems(
  global: GlobalAutoReplies,
  sites: Record<string, { autoReplies?: SiteAutoReplies | undefined }>,
  teams: Record<string, { businessHours?: string | undefined }> = {},
): string[] {
  const problems: string[] = [];
  const known = (name: string) => Object.hasOwn(global.schedules, name);
  for (const [id, site] of Object.entries(sites)) {
    const hours = site.autoReplies?.hours;
    if (typeof hours === 'string' && !known(hours)) problems.push(`sites.${id}.autoReplies.hours: unknown schedule "${hours}"`);
  }
  for (const [id, team] of Object.entries(teams)) {
    if (team.businessHours !== undefined && !known(team.businessHours)) {
      problems.push(`routing.teams.${id}.businessHours: unknown schedule "${team.businessHours}"`);
    }
  }
  return problems;
}
