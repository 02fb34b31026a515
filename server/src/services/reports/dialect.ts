import { type Expression, type Kysely, type RawBuilder, sql } from 'kysely';
import { isPostgres } from '../../store/dialect';
import { type OffsetSpan, offsetSpans } from './time-zone';

/**
 * The only SQL of the reports that differs between SQLite and PostgreSQL: durations between two
 * ISO 8601 text timestamps, and the local day, weekday and hour of a timestamp in the site's zone.
 * PostgreSQL knows time zones; SQLite does not, so there the zone's offsets over the period
 * (found in JavaScript, a DST change splits them) become a CASE that shifts each timestamp.
 */
export interface ReportDialect {
  /** Whole milliseconds from `from` to `to`; null when either is null. */
  millisBetween(from: Expression<string | null>, to: Expression<string | null>): RawBuilder<number | null>;
  /** The local date, `YYYY-MM-DD`. */
  localDay(at: Expression<string>): RawBuilder<string>;
  /** The local weekday, 0 = Sunday … 6 = Saturday (both engines count so). */
  localWeekday(at: Expression<string>): RawBuilder<number>;
  /** The local hour, 0–23. */
  localHour(at: Expression<string>): RawBuilder<number>;
}

export { isPostgres } from '../../store/dialect';

/** The dialect of this store, for one zone over [start, end) (UTC instants in ms). */
export function reportDialect(db: Kysely<any>, zone: string, start: number, end: number): ReportDialect {
  return isPostgres(db) ? postgresDialect(zone) : sqliteDialect(offsetSpans(zone, start, end));
}

/** SQLite: julianday for durations, strftime with a `+N minutes` modifier picked by the instant. */
export function sqliteDialect(spans: OffsetSpan[]): ReportDialect {
  const shift = (at: Expression<string>): RawBuilder<string> => {
    const modifier = (minutes: number) => `${minutes >= 0 ? '+' : ''}${minutes} minutes`;
    if (spans.length === 1) return sql<string>`${modifier((spans[0] as OffsetSpan).minutes)}`;
    const cases = spans.map((s) => (s.until === null ? sql`else ${modifier(s.minutes)}` : sql`when ${at} < ${s.until} then ${modifier(s.minutes)}`));
    return sql<string>`case ${sql.join(cases, sql` `)} end`;
  };
  return {
    millisBetween: (from, to) => sql<number | null>`cast(round((julianday(${to}) - julianday(${from})) * 86400000) as integer)`,
    localDay: (at) => sql<string>`strftime('%Y-%m-%d', ${at}, ${shift(at)})`,
    localWeekday: (at) => sql<number>`cast(strftime('%w', ${at}, ${shift(at)}) as integer)`,
    localHour: (at) => sql<number>`cast(strftime('%H', ${at}, ${shift(at)}) as integer)`,
  };
}

/** PostgreSQL: timestamptz arithmetic and `AT TIME ZONE`. */
export function postgresDialect(zone: string): ReportDialect {
  const local = (at: Expression<string>) => sql`(cast(${at} as timestamptz) at time zone ${zone})`;
  return {
    millisBetween: (from, to) => sql<number | null>`cast(round(extract(epoch from (cast(${to} as timestamptz) - cast(${from} as timestamptz))) * 1000) as bigint)`,
    localDay: (at) => sql<string>`to_char(${local(at)}, 'YYYY-MM-DD')`,
    localWeekday: (at) => sql<number>`cast(extract(dow from ${local(at)}) as integer)`,
    localHour: (at) => sql<number>`cast(extract(hour from ${local(at)}) as integer)`,
  };
}
