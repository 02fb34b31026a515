import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { percentiles, type Quantiles } from './percentiles';
import { type ByGroup, type Scope, TOTAL, groupKey, num } from './scope';

/** A query of rows that each belong to one group `g` (its key expression is given). */
export type RowsOf = (g: RawBuilder<string | null>) => SelectQueryBuilder<any, any, any>;

/**
 * Sums of 0/1 or counted columns per group, and the total. The rows are grouped in an outer query
 * on the column `g` (PostgreSQL cannot match a GROUP BY expression that carries parameters); each
 * row counts in one group only, so the total is the groups' sum.
 */
export async function sums<K extends string>(scope: Scope, at: string, columns: readonly K[], rows: RowsOf): Promise<ByGroup<Record<K, number>>> {
  const g = groupKey(scope, at);
  const inner = rows(g ?? sql<string | null>`null`);
  const result = await scope.db
    .selectFrom(inner.as('t'))
    .select((eb) => [sql<string | null>`t.g`.as('g'), ...columns.map((c) => eb.fn.sum<number>(sql.ref(`t.${c}`)).as(c))])
    .groupBy(sql`t.g`)
    .execute();
  const out: ByGroup<Record<K, number>> = new Map();
  const total = Object.fromEntries(columns.map((c) => [c, 0])) as Record<K, number>;
  for (const row of result as Record<string, unknown>[]) {
    const values = Object.fromEntries(columns.map((c) => [c, num(row[c])])) as Record<K, number>;
    for (const c of columns) total[c] += values[c];
    if (g) out.set((row.g as string | null) ?? null, values);
  }
  out.set(TOTAL, total);
  return out;
}

/** Median and p90 of a value per group and over all (the total runs on its own: quantiles do not add up). */
export async function quantiles(scope: Scope, at: string, values: (g: RawBuilder<string | null>) => SelectQueryBuilder<any, any, { g: string | null; x: number | null }>): Promise<ByGroup<Quantiles>> {
  const out: ByGroup<Quantiles> = new Map();
  const g = groupKey(scope, at);
  if (g) for (const [key, q] of await percentiles(scope.db, values(g))) out.set(key, q);
  const total = await percentiles(scope.db, values(sql<string | null>`null`));
  out.set(TOTAL, total.get(null) ?? { n: 0, median: null, p90: null });
  return out;
}

/** 1 when the condition holds, else 0: a column to sum. */
export function flag(condition: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`case when ${condition} then 1 else 0 end`;
}
