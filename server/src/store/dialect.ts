import { type Kysely, PostgresAdapter } from 'kysely';

/** True when the store is PostgreSQL (else SQLite): for the few statements that differ between them. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
