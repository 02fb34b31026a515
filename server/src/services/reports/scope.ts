import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../../store/db';
import type { ReportDialect } from './dialect';
import type { GroupBy } from './query';

/** Conditions on the conversation every figure of a report is about (`c`, its contact `ct`). */
export interface ReportFilters {
  team: string | null;
  inquiryType: string | null;
  language: string | null;
  agent: string | null;
}

/** What one report run reads: sites, the period as UTC instants [start, end), filters, grouping. */
export interface Scope {
  db: Db;
  siteIds: string[];
  start: string;
  end: string;
  filters: ReportFilters;
  groupBy: GroupBy | null;
  dialect: ReportDialect;
  /** First-response target in milliseconds. */
  targetMs: number;
}

/** The scope's conditions on `c` (conversations) and `ct` (their contacts). */
export function conversationFilter(scope: Scope): Expression<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`c.site_id in (${sql.join(scope.siteIds)})`];
  const f = scope.filters;
  if (f.team !== null) parts.push(sql`c.team_id = ${f.team}`);
  if (f.inquiryType !== null) parts.push(sql`c.inquiry_type = ${f.inquiryType}`);
  if (f.language !== null) parts.push(sql`ct.language = ${f.language}`);
  if (f.agent !== null) parts.push(sql`c.assignee_id = ${f.agent}`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** `column` within the period. */
export function within(scope: Scope, column: string): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(column)} >= ${scope.start} and ${sql.ref(column)} < ${scope.end})`;
}

/**
 * The group of a row: a conversation attribute, or the local day of `at` (the figure's own event:
 * started, closed, sent…). Null for the total.
 */
export function groupKey(scope: Scope, at: string): RawBuilder<string | null> | null {
  switch (scope.groupBy) {
    case null:
      return null;
    case 'team':
      return sql<string | null>`c.team_id`;
    case 'inquiryType':
      return sql<string | null>`c.inquiry_type`;
    case 'language':
      return sql<string | null>`ct.language`;
    case 'agent':
      return sql<string | null>`c.assignee_id`;
    case 'day':
      return scope.dialect.localDay(sql.ref(at));
  }
}

/** One figure's value per group; the total under the key `TOTAL`. */
export type ByGroup<T> = Map<string | null, T>;

/** The key the total is kept under in a ByGroup (groups' own keys are ids, days or null). */
export const TOTAL = '\u0000total';

/** A number from a driver (PostgreSQL gives bigint counts as strings); null stays null. */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
