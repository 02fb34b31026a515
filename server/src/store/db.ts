import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase, sql } from 'kysely';
import { migrateToLatest } from './migrations/index';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface StoreOptions {
  /** Directory of the embedded SQLite file; `:memory:` keeps it in memory. */
  dataDir: string;
  /** SQLite `synchronous` pragma: FULL makes every acked commit survive power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * Opens the store and runs the migrations. The embedded SQLite file lives at
 * `<dataDir>/parley.sqlite`, in WAL mode.
 */
export async function openStore(options: StoreOptions): Promise<Db> {
  let file = ':memory:';
  if (options.dataDir !== ':memory:') {
    mkdirSync(options.dataDir, { recursive: true });
    file = join(options.dataDir, 'parley.sqlite');
  }
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  await migrateToLatest(db);
  return db;
}

/** Most distinct SQL texts kept prepared; queries are built from a few shapes, so this is rarely reached. */
const STATEMENT_CACHE = 500;

/**
 * Kysely's SQLite driver prepares every query again; preparing costs more than
 * running a simple statement. Statements are reusable, and the driver runs one
 * at a time on its single connection, so one prepared statement per SQL text is safe.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (!statement) {
        statement = database.prepare(text);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

/** True when the store answers a trivial query. */
export async function pingStore(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** True for a unique-constraint violation on SQLite or Postgres. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}
