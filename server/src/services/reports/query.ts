import * as v from 'valibot';
import { IdSchema } from '../../../../protocol/src/index';
import { TeamIdSchema } from '../../../../protocol/src/routing';
import { parseOrThrow } from '../../errors';
import { isTimeZone } from './time-zone';

/** The dimensions a report may be grouped by; `day` is the local day of each figure's own event. */
export const GROUP_BYS = ['team', 'inquiryType', 'language', 'agent', 'day'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** Longest period a report covers, in days (both ends included). */
export const MAX_DAYS = 366;
/** Default first-response target, in seconds (answering within five minutes). */
export const DEFAULT_TARGET_SECONDS = 300;

const DAY_MS = 86_400_000;

const LocalDate = v.pipe(
  v.string('expected a date such as 2025-03-31'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2025-03-31'),
  v.check((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
  }, 'no such date'),
);

const Text = v.pipe(v.string('expected one value'), v.trim(), v.nonEmpty('expected a value'), v.maxLength(100));

/** A report's query string: `from` and `to` are local days of the site's zone, both included. */
export const ReportQuerySchema = v.pipe(
  v.strictObject(
    {
      from: LocalDate,
      to: LocalDate,
      site: v.optional(IdSchema),
      groupBy: v.optional(v.picklist(GROUP_BYS, `expected groupBy to be one of ${GROUP_BYS.join(', ')}`)),
      team: v.optional(TeamIdSchema),
      inquiryType: v.optional(Text),
      language: v.optional(v.pipe(v.string('expected one value'), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as en or zh-CN'))),
      agent: v.optional(IdSchema),
      /** First-response target in seconds. */
      target: v.optional(
        v.pipe(v.string('expected a number of seconds'), v.regex(/^\d{1,6}$/, 'expected a whole number of seconds'), v.transform(Number), v.minValue(1, 'expected at least 1 second'), v.maxValue(86_400 * 7, 'expected at most a week')),
      ),
      /** Overrides the site's zone (its business hours' zone, else UTC). */
      timeZone: v.optional(v.pipe(v.string('expected one value'), v.check(isTimeZone, 'expected an IANA time zone such as Europe/Berlin'))),
    },
    'unknown query parameter',
  ),
  v.forward(
    v.check((q) => q.from <= q.to, 'expected `to` on or after `from`'),
    ['to'],
  ),
  v.forward(
    v.check((q) => (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / DAY_MS + 1 <= MAX_DAYS, `expected a period of at most ${MAX_DAYS} days`),
    ['to'],
  ),
);

export type ReportQuery = v.InferOutput<typeof ReportQuerySchema>;

/** Parses a query string or throws `invalid_payload` naming each bad parameter. */
export function parseReportQuery(input: unknown): ReportQuery {
  return parseOrThrow(ReportQuerySchema, input);
}
