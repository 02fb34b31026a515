import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { num } from './scope';

/** How many values a group has, and their median and 90th percentile (null when none). */
export interface Quantiles {
  n: number;
  median: number | null;
  p90: number | null;
}

/** The value rows a percentile reads: a group key and a value (null values are left out). */
export type ValueRows = SelectQueryBuilder<any, any, { g: string | null; x: number | null }>;

/**
 * Median and 90th percentile of each group's values, interpolated between the two nearest ranks
 * (as PostgreSQL's percentile_cont): at rank 1 + (n − 1)·p. The store numbers the values with
 * ROW_NUMBER and counts them with COUNT OVER, and returns only the (at most four) rows at those
 * ranks, so a group of any size costs Node four rows.
 */
export async function percentiles(db: Kysely<any>, values: ValueRows): Promise<Map<string | null, Quantiles>> {
  const rows = await db
    .with('v', () => values)
    .with('r', (qb) =>
      qb
        .selectFrom('v')
        .select(['g', 'x', sql<number>`row_number() over (partition by g order by x)`.as('rn'), sql<number>`count(*) over (partition by g)`.as('n')])
        .where('x', 'is not', null),
    )
    .selectFrom('r')
    .select(['g', 'n', 'rn', 'x'])
    // integer division in both engines: the floor and the ceiling of 1 + (n − 1)·p for p = 0.5 and 0.9
    .where(sql<boolean>`rn in (1 + (n - 1) / 2, 1 + n / 2, 1 + (9 * (n - 1)) / 10, 1 + (9 * (n - 1) + 9) / 10)`)
    .execute();
  const byGroup = new Map<string | null, { n: number; at: Map<number, number> }>();
  for (const row of rows as { g: string | null; n: unknown; rn: unknown; x: unknown }[]) {
    let group = byGroup.get(row.g);
    if (!group) byGroup.set(row.g, (group = { n: num(row.n), at: new Map() }));
    group.at.set(num(row.rn), num(row.x));
  }
  const out = new Map<string | null, Quantiles>();
  for (const [g, { n, at }] of byGroup) out.set(g, { n, median: rankValue(n, at, 1, 2), p90: rankValue(n, at, 9, 10) });
  return out;
}

/** The value at rank 1 + (n − 1)·num/den, between the two ranks around it. */
function rankValue(n: number, at: Map<number, number>, numerator: number, denominator: number): number | null {
  if (n === 0) return null;
  const scaled = (n - 1) * numerator;
  const lo = 1 + Math.floor(scaled / denominator);
  const hi = 1 + Math.floor((scaled + denominator - 1) / denominator);
  const a = at.get(lo);
  const b = at.get(hi);
  if (a === undefined || b === undefined) return null;
  return a + ((b - a) * (scaled % denominator)) / denominator;
}
