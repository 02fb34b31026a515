import pg from 'pg';

/** A schema whose last migration ran more recently than this may belong to a run still going (another checkout, a second terminal). */
const IN_USE_MS = 3 * 3600_000;

/**
 * Before the PostgreSQL project runs: drops the schemas earlier runs left (tests that restart a
 * server on the same data keep theirs until then, and a run cut short leaves its own). Only those
 * migrated more than three hours ago, or never: dropping every `t_` schema would pull the store from
 * under another run of the suite on the same database.
 */
export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'");
    for (const { nspname } of rows) {
      const table = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`"${nspname}".kysely_migration`]);
      if (table.rows[0]?.t) {
        const last = await client.query<{ at: string | null }>(`SELECT max("timestamp") AS at FROM "${nspname}".kysely_migration`);
        const at = last.rows[0]?.at ? Date.parse(last.rows[0].at) : NaN;
        if (Date.now() - at < IN_USE_MS) continue;
      }
      await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
    }
  } finally {
    await client.end();
  }
}
