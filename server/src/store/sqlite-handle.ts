import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';

const handles = new WeakMap<Kysely<any>, SQLite.Database>();

/** Remembers the better-sqlite3 connection under a SQLite store, for the few hot paths that run prepared statements on it. */
export function registerSqlite(db: Kysely<any>, database: SQLite.Database): void {
  handles.set(db, database);
}

/**
 * The better-sqlite3 connection under a SQLite store, or null (PostgreSQL, or a store opened elsewhere).
 * Use it only while holding Kysely's connection (`db.connection().execute(...)`): the driver runs one
 * query or transaction at a time on it, and a statement run outside would land inside someone's transaction.
 */
export function sqliteOf(db: Kysely<any>): SQLite.Database | null {
  return handles.get(db) ?? null;
}
