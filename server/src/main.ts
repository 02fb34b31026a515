import { resolve } from 'node:path';
import { createParley } from './app';
import { configContrastWarnings } from './config/contrast';
import { ConfigError, configPath, loadConfig } from './config/load';
import { createLogger } from './logger';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { adjustableClock } from './services/clock';
import { redisCounters } from './services/limits/counters';
import { identitySecretsFrom } from './services/identity/identity';
import { StoreUnavailable, postgresFromEnv } from './store/db';
import { NewerStore } from './store/migrations/index';

/**
 * Starts the server from the environment: PORT, HOST, DATA_DIR, CONFIG, ADMIN_EMAIL, ADMIN_PASSWORD, RATE_LIMITS (off),
 * METRICS_TOKEN (the bearer token /metrics then asks for); DATABASE_URL (and DATABASE_SCHEMA): PostgreSQL;
 * REDIS_URL (and REDIS_STREAM): Socket.IO's adapter and the limit counters shared by every node;
 * email with SMTP_URL, SMTP_FROM, PUBLIC_URL and EMAIL_LINK_SECRET. SIGTERM, SIGINT or SIGHUP shut it
 * down gracefully (see Parley.close): exit 0, or exit 1 naming what was left after SHUTDOWN_TIMEOUT_MS (10 s).
 */
async function main(): Promise<void> {
  const log = createLogger();
  const file = configPath();
  // a bad file is reported by main().catch below: its problems by path, no stack trace
  const config = loadConfig(file);
  // start-up text for the person who runs it, like the config errors
  for (const warning of configContrastWarnings(config)) process.stderr.write(`warning: colour contrast: ${warning}\n`);

  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '0.0.0.0';
  const dataDir = resolve(process.env.DATA_DIR ?? 'data');
  const { SMTP_URL: smtpUrl, EMAIL_LINK_SECRET: linkSecret } = process.env;
  const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
  if (smtpUrl && !process.env.PUBLIC_URL) process.stderr.write(`warning: SMTP_URL is set but PUBLIC_URL is not: links in emails point to ${publicUrl}\n`);
  // with REDIS_URL, every node shares Socket.IO's rooms (the Redis Streams adapter) and the limit
  // counters through Redis; without it, one node works alone and needs no Redis
  const rateLimits = process.env.RATE_LIMITS !== 'off';
  const redis = process.env.REDIS_URL ? createClient({ url: process.env.REDIS_URL }) : null;
  if (redis) {
    redis.on('error', (err: Error) => log.warn({ err }, 'redis error'));
    try {
      await redis.connect();
    } catch (error) {
      process.stderr.write(`REDIS_URL is set but Redis cannot be reached: ${(error as Error).message}\n`);
      process.exit(1);
    }
  }
  const parley = await createParley({
    config,
    log,
    dataDir,
    secureCookies: process.env.COOKIE_SECURE === 'true',
    sqliteSynchronous: process.env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL',
    // DATABASE_URL: the store is PostgreSQL, shared by every node; else the embedded SQLite file in DATA_DIR
    ...(postgresFromEnv(process.env) ? { postgres: postgresFromEnv(process.env) } : {}),
    groupCommit: process.env.GROUP_COMMIT !== 'off',
    identitySecrets: identitySecretsFrom(process.env, Object.keys(config.sites)),
    // benchmarks flood one server from one address; RATE_LIMITS=off lets them (never in a real install)
    rateLimits,
    ...(redis
      ? {
          ...(rateLimits ? { counters: redisCounters(redis) } : {}),
          socketAdapter: createAdapter(redis, { streamName: process.env.REDIS_STREAM ?? 'parley:socket.io' }),
          readiness: { redis: async () => (await redis.ping()) === 'PONG' },
        }
      : {}),
    ...(process.env.METRICS_TOKEN ? { metricsToken: process.env.METRICS_TOKEN } : {}),
    // end-to-end tests move the clock to see scheduled follow-ups go out; never in production
    ...(process.env.PARLEY_TEST_CLOCK === '1' && process.env.NODE_ENV !== 'production' ? { testClock: adjustableClock() } : {}),
    ...(smtpUrl
      ? { mail: { url: smtpUrl, from: process.env.SMTP_FROM ?? 'Parley <no-reply@localhost>', publicUrl, ...(linkSecret ? { secret: linkSecret } : {}) } }
      : {}),
  });

  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = process.env;
  let setupToken: string | null = null;
  if (email || password) {
    if (!email || !password) {
      process.stderr.write('set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither\n');
      process.exit(1);
    }
    try {
      await parley.auth.ensureAdmin(email, password);
    } catch (error) {
      process.stderr.write(`ADMIN_EMAIL / ADMIN_PASSWORD rejected: ${(error as Error).message}\n`);
      process.exit(1);
    }
  } else if ((await parley.auth.agentCount()) === 0) {
    setupToken = await parley.auth.issueSetupToken();
  }

  const bound = await parley.listen(port, host);
  const base = process.env.PUBLIC_URL ?? `http://localhost:${bound}`;
  log.info({ port: bound, dataDir, config: file }, 'parley listening');
  const lines = [
    '',
    `  Parley is running.`,
    `  Demo site (with the widget):  ${base}/`,
    `  Agent console:                ${base}/console`,
    `  Health:                       ${base}/healthz`,
  ];
  if (setupToken) lines.push('', `  No agent exists yet. Create the first admin (link works once, for 24 hours):`, `  ${base}/console/setup?token=${setupToken}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);

  // a second signal (Ctrl-C reaches both `npm start` and this process) changes nothing: the bound ends a stuck shutdown
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const bound = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
    setTimeout(() => {
      process.stderr.write(`parley did not shut down within ${bound} ms; left: ${parley.pendingWork().join(', ')}\n`);
      process.exit(1);
    }, bound);
    try {
      await parley.close();
      await redis?.quit();
    } catch (error) {
      process.stderr.write(`parley failed to shut down: ${(error as Error).stack ?? error}\n`);
      process.exit(1);
    }
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
}

main().catch((error) => {
  // a config problem, in the file or found while wiring the services (a rule naming an unknown team), is no crash
  if (error instanceof ConfigError || error instanceof StoreUnavailable || error instanceof NewerStore) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`parley failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
