import pg from 'pg';

/**
 * Before the PostgreSQL project runs: drops the schemas an earlier run left (tests that restart a
 * server on the same data keep theirs until then, and a run cut short leaves its own).
 */
export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'");
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
