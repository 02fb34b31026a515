import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations/index';
import { registerSqlite } from './sqlite-handle';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface StoreOptions {
  /** Directory of the embedded SQLite file; `:memory:` keeps it in memory. Unused with `databaseUrl`. */
  dataDir: string;
  /** SQLite `synchronous` pragma: FULL makes every acked commit survive power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  /** A PostgreSQL connection string (`DATABASE_URL`): the store runs there instead of SQLite. */
  databaseUrl?: string;
  /** PostgreSQL: the schema to use (created if missing); tests give each server its own. */
  schema?: string;
  /** PostgreSQL: most connections in the pool. */
  poolSize?: number;
}

// COUNT(*) and bigint columns are int8: numbers, as SQLite gives them (every value Parley stores fits in 2^53)
pg.types.setTypeParser(20, (value: string) => Number(value));

/**
 * PostgreSQL from the environment: `DATABASE_URL` (a connection string) and, optionally,
 * `DATABASE_SCHEMA` (a schema of its own, created if missing); unset or empty means SQLite.
 */
export function postgresFromEnv(env: Record<string, string | undefined>): { url: string; schema?: string } | undefined {
  if (!env.DATABASE_URL) return undefined;
  return { url: env.DATABASE_URL, ...(env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {}) };
}

/** A store that cannot be reached at start: one clear line for the person starting the server. */
export class StoreUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailable';
  }
}

/**
 * Opens the store and runs the migrations: PostgreSQL when `databaseUrl` is given (a pool, the
 * schema `schema` or the connection's default), else the embedded SQLite file at
 * `<dataDir>/parley.sqlite`, in WAL mode.
 */
export async function openStore(options: StoreOptions): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.schema, options.poolSize);
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
  registerSqlite(db, database);
  await migrateToLatest(db);
  return db;
}

async function openPostgres(url: string, schema: string | undefined, poolSize = 10): Promise<Db> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`not a schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 10_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // an idle client that loses its server is dropped by the pool; without a listener it would crash the process
  pool.on('error', () => {});
  // a connection of its own (outside the pool, which may have one connection) holds the migration lock
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await pool.end().catch(() => {});
    const where = (() => {
      try {
        const u = new URL(url);
        return `${u.hostname}:${u.port || 5432}${u.pathname}`;
      } catch {
        return 'DATABASE_URL';
      }
    })();
    throw new StoreUnavailable(`PostgreSQL at ${where} cannot be reached: ${(error as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // nodes starting at once: one creates the schema and migrates while the others wait (CREATE ... IF NOT
  // EXISTS run concurrently can still collide in PostgreSQL's catalogue)
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`parley:migrate:${schema ?? ''}`]);
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await migrateToLatest(db, schema);
  } catch (error) {
    // ending the session releases its lock
    await client.end().catch(() => {});
    await db.destroy();
    throw error;
  }
  await client.end();
  return db;
}

export { isPostgres } from './dialect';

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
