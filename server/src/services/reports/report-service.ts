import { ErrorCode } from '../../../../protocol/src/index';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { presenceSeconds } from '../routing/presence-log';
import { type MessageFigures, type RatingComment, type RatingFigures, messageFigures, ratingComments, ratingFigures } from './activity-figures';
import { type ConversationFigures, type QueueFigures, busiestHours, conversationFigures, queueFigures, startedRows } from './conversation-figures';
import { reportDialect } from './dialect';
import { DEFAULT_TARGET_SECONDS, type GroupBy, type ReportQuery, parseReportQuery } from './query';
import { type FirstResponseFigures, type ResolutionFigures, firstResponseFigures, resolutionFigures } from './response-figures';
import { sums } from './rows';
import { type ByGroup, type ReportFilters, type Scope, TOTAL } from './scope';
import { nextDay, startOfLocalDay } from './time-zone';

/** Per agent (by assignee): conversations started in the period and assigned to them, and their medians. */
export interface AgentFigures {
  handled: number;
  firstResponseMedianSeconds: number | null;
  resolutionMedianSeconds: number | null;
  ratingCount: number;
  ratingAverage: number | null;
  /** Seconds the agent's presence was online, and away, within the period (up to now). */
  onlineSeconds: number;
  awaySeconds: number;
}

export interface BusiestHoursFigures {
  started: number;
  /** cells[weekday][hour]: conversations started; weekday 0 = Sunday (see `weekdays`), hour 0–23, local time. */
  cells: number[][];
}

/** Figures of each report, by name. */
export interface ReportFigures {
  conversations: ConversationFigures;
  'first-response': FirstResponseFigures;
  resolution: ResolutionFigures;
  messages: MessageFigures;
  satisfaction: RatingFigures;
  queue: QueueFigures;
  'busiest-hours': BusiestHoursFigures;
  agents: AgentFigures;
}
export type ReportName = keyof ReportFigures | 'rating-comments';
export const REPORT_NAMES: readonly ReportName[] = ['conversations', 'first-response', 'resolution', 'messages', 'satisfaction', 'rating-comments', 'queue', 'busiest-hours', 'agents'];

/** The period a report covers: local days of `timeZone`, and the UTC instants [start, end) they span. */
export interface ReportRange {
  from: string;
  to: string;
  timeZone: string;
  start: string;
  end: string;
}

/** One group's figures, with its key (a team id, agent id, inquiry type, language or local day; null: none) and a name to show. */
export type Group<F> = F & { key: string | null; label: string | null };

/** Every report's answer: what it covers, the figures over all, and per group when grouped. */
export interface Report<F> {
  report: ReportName;
  range: ReportRange;
  site: string | null;
  filters: ReportFilters;
  groupBy: GroupBy | null;
  total: F;
  groups: Group<F>[];
  /** first-response: the target in seconds. */
  targetSeconds?: number;
  /** satisfaction and rating-comments: the latest comments, newest first. */
  comments?: RatingComment[];
  /** busiest-hours: the names of the weekday rows. */
  weekdays?: string[];
}

/** Who asks: admins see everything; an agent only their own conversations. */
export interface Viewer {
  id: string;
  role: 'admin' | 'agent';
}

/** The time zone of a site's business hours, if it has any. */
export type ZoneOf = (siteId: string) => string | null;

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * Reports over a period of local days, computed in the store: every figure is an aggregate, a
 * count or a percentile read by window functions, so no report loads the rows it counts.
 */
export class ReportService {
  constructor(
    private readonly db: Db,
    private readonly zoneOf: ZoneOf,
    /** The time online and away counts up to now within a period that has not ended. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Runs the report `name` for the query string, as the viewer may see it. */
  async run(name: string, query: unknown, viewer: Viewer): Promise<Report<unknown>> {
    if (!(REPORT_NAMES as readonly string[]).includes(name)) throw new AppError(ErrorCode.NotFound, `no report named "${name}"; reports: ${REPORT_NAMES.join(', ')}`);
    const input = parseReportQuery(query);
    if ((name === 'busiest-hours' || name === 'agents' || name === 'rating-comments') && input.groupBy) {
      throw new AppError(ErrorCode.InvalidPayload, `the ${name} report cannot be grouped`, [{ path: 'groupBy', message: `the ${name} report cannot be grouped` }]);
    }
    if (viewer.role !== 'admin' && input.agent !== undefined && input.agent !== viewer.id) throw new AppError(ErrorCode.Forbidden, "only admins may see another agent's figures");
    const { scope, range } = await this.scope(input, viewer, name === 'agents' ? 'agent' : (input.groupBy ?? null));
    const head = { report: name as ReportName, range, site: input.site ?? null, filters: scope.filters, groupBy: name === 'agents' ? ('agent' as const) : (input.groupBy ?? null) };
    switch (name as ReportName) {
      case 'conversations':
        return this.envelope(head, scope, await conversationFigures(scope));
      case 'first-response':
        return { ...(await this.envelope(head, scope, await firstResponseFigures(scope))), targetSeconds: scope.targetMs / 1000 };
      case 'resolution':
        return this.envelope(head, scope, await resolutionFigures(scope));
      case 'messages':
        return this.envelope(head, scope, await messageFigures(scope));
      case 'satisfaction':
        return { ...(await this.envelope(head, scope, await ratingFigures(scope))), comments: await ratingComments(scope) };
      case 'rating-comments':
        return { ...head, total: { count: 0 }, groups: [], comments: await ratingComments(scope) };
      case 'queue':
        return this.envelope(head, scope, await queueFigures(scope));
      case 'busiest-hours':
        return { ...head, total: await busiestHours(scope), groups: [], weekdays: WEEKDAYS };
      case 'agents': {
        const until = new Date(Math.min(Date.parse(scope.end), this.now().getTime())).toISOString();
        const presence = await presenceSeconds(this.db, scope.start, until, scope.filters.agent);
        const report = await this.envelope(head, scope, await agentFigures(scope, presence));
        // per agent: conversations nobody was assigned are in the total only
        return { ...report, groups: report.groups.filter((g) => g.key !== null) };
      }
    }
  }

  private async scope(input: ReportQuery, viewer: Viewer, groupBy: GroupBy | null): Promise<{ scope: Scope; range: ReportRange }> {
    const known = (await this.db.selectFrom('sites').select('id').orderBy('id').execute()).map((s) => s.id);
    if (input.site !== undefined && !known.includes(input.site)) throw new AppError(ErrorCode.NotFound, 'no such site');
    const siteIds = input.site !== undefined ? [input.site] : known;
    const timeZone = input.timeZone ?? this.zoneOfSites(siteIds);
    const start = startOfLocalDay(input.from, timeZone);
    const end = startOfLocalDay(nextDay(input.to), timeZone);
    const scope: Scope = {
      db: this.db,
      siteIds: siteIds.length ? siteIds : [''],
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      filters: {
        team: input.team ?? null,
        inquiryType: input.inquiryType ?? null,
        language: input.language ?? null,
        agent: viewer.role === 'admin' ? (input.agent ?? null) : viewer.id,
      },
      groupBy,
      dialect: reportDialect(this.db, timeZone, start, end),
      targetMs: (input.target ?? DEFAULT_TARGET_SECONDS) * 1000,
    };
    return { scope, range: { from: input.from, to: input.to, timeZone, start: scope.start, end: scope.end } };
  }

  /** The sites' zone when they share one; else UTC. */
  private zoneOfSites(siteIds: string[]): string {
    const zones = new Set(siteIds.map((id) => this.zoneOf(id) ?? 'UTC'));
    return zones.size === 1 ? ([...zones][0] as string) : 'UTC';
  }

  private async envelope<F>(head: Omit<Report<F>, 'total' | 'groups'>, scope: Scope, figures: ByGroup<F>): Promise<Report<F>> {
    const total = figures.get(TOTAL) as F;
    const keys = [...figures.keys()].filter((k) => k !== TOTAL);
    if (scope.groupBy === 'day') {
      // every day of the period, in order, those without any activity too
      const zero = zeroOf(total);
      const days: string[] = [];
      for (let d = head.range.from; d <= head.range.to; d = nextDay(d)) days.push(d);
      return { ...head, total, groups: days.map((d) => ({ ...(figures.get(d) ?? zero), key: d, label: d })) };
    }
    const labels = await this.labels(scope.groupBy, keys);
    const groups = keys.map((k) => ({ ...(figures.get(k) as F), key: k, label: k === null ? null : (labels.get(k) ?? k) }));
    groups.sort((a, b) => (a.label === null ? 1 : b.label === null ? -1 : a.label.localeCompare(b.label)));
    return { ...head, total, groups };
  }

  /** Names of teams and agents; other keys name themselves. */
  private async labels(groupBy: GroupBy | null, keys: (string | null)[]): Promise<Map<string, string>> {
    const ids = keys.filter((k): k is string => k !== null);
    if (ids.length === 0) return new Map();
    if (groupBy === 'team') return new Map((await this.db.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids).execute()).map((r) => [r.id, r.name]));
    if (groupBy === 'agent') return new Map((await this.db.selectFrom('agents').select(['id', 'name']).where('id', 'in', ids).execute()).map((r) => [r.id, r.name]));
    return new Map();
  }
}

/** Per agent: started and assigned to them, with the first-response, resolution and rating figures by assignee. */
async function agentFigures(scope: Scope, presence: Map<string, { online: number; away: number }>): Promise<ByGroup<AgentFigures>> {
  const handled = await sums(scope, 'c.created_at', ['handled'], (g) => startedRows(scope).select([g.as('g'), (eb) => eb.lit(1).as('handled')]));
  const first = await firstResponseFigures(scope);
  const resolution = await resolutionFigures(scope);
  const ratings = await ratingFigures(scope);
  const out: ByGroup<AgentFigures> = new Map();
  const f = scope.filters;
  // presence is the agent's, whatever the conversation: with a team, inquiry type or language chosen, only the agents those conversations had
  const everyone = !f.team && !f.inquiryType && !f.language;
  const keys = new Set([...handled.keys(), ...first.keys(), ...resolution.keys(), ...ratings.keys(), ...(everyone ? presence.keys() : [])]);
  const total = { online: 0, away: 0 };
  for (const key of keys) {
    const time = key !== TOTAL && key !== null ? presence.get(key) : undefined;
    if (time) {
      total.online += time.online;
      total.away += time.away;
    }
    out.set(key, {
      handled: handled.get(key)?.handled ?? 0,
      firstResponseMedianSeconds: first.get(key)?.medianSeconds ?? null,
      resolutionMedianSeconds: resolution.get(key)?.medianSeconds ?? null,
      ratingCount: ratings.get(key)?.count ?? 0,
      ratingAverage: ratings.get(key)?.average ?? null,
      onlineSeconds: time?.online ?? 0,
      awaySeconds: time?.away ?? 0,
    });
  }
  const all = out.get(TOTAL);
  if (all) Object.assign(all, { onlineSeconds: total.online, awaySeconds: total.away });
  else out.set(TOTAL, { handled: 0, firstResponseMedianSeconds: null, resolutionMedianSeconds: null, ratingCount: 0, ratingAverage: null, onlineSeconds: total.online, awaySeconds: total.away });
  return out;
}

/** The figures of a group with nothing in it: counts 0, medians and shares null. */
function zeroOf<F>(like: F): F {
  const zero = (v: unknown): unknown =>
    typeof v === 'number' ? 0 : v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, zero(x)])) : null;
  const out = zero(like) as Record<string, unknown>;
  // medians, percentiles, shares and averages of nothing are unknown, not 0
  for (const k of Object.keys(out)) if (/Seconds$|Share$|^average$|^openAtEnd$/.test(k) && k !== 'targetSeconds') out[k] = null;
  return out as F;
}
