import { createInterface } from 'node:readline';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { ErrorCode } from '../../protocol/src/index';
import { createParley, type Parley } from './app';
import { ConfigError, configPath, loadConfig } from './config/load';
import { AppError } from './errors';
import type { AgentIdentity } from './services/auth-service';
import { openStore, postgresFromEnv } from './store/db';

/**
 * `parley <command>`: what an operator does on the server's machine without the console. Each
 * command reads the same environment as the server (DATA_DIR, CONFIG) and works on the same store,
 * also while the server runs; actions that the console audits are audited here too, by
 * "command line (<user>@<host>)".
 */
const HELP = `Usage: parley <command> [options]

Commands:
  start                               start the server (builds it first when needed)
  migrate                             bring the store up to date and exit
  create-agent --email E --name N [--role admin|agent] [--password-stdin]
                                      create an agent; the password comes from PARLEY_PASSWORD or stdin
  reset-password --email E [--password-stdin]
                                      set an agent's password (from PARLEY_PASSWORD or stdin) and end their sessions
  export-contact <contact-id> [--out FILE]
                                      write everything held about a contact as JSON (stdout, or FILE)
  erase-contact <contact-id> --yes [--reason TEXT]
                                      erase a contact and their conversations, keeping a proof in the audit log

The store is the one the server uses: DATA_DIR (default ./data), with the config from CONFIG.
Run \`parley <command> --help\` for one command.`;

const COMMAND_HELP: Record<string, string> = {
  start: 'Usage: parley start\n\nBuilds what is missing or older than its sources, then starts the server (PORT, HOST, DATA_DIR, CONFIG, …).',
  migrate: 'Usage: parley migrate\n\nApplies the store migrations this version knows to DATA_DIR and exits. A store migrated by a newer version is refused.',
  'create-agent':
    'Usage: parley create-agent --email E --name N [--role admin|agent] [--password-stdin]\n\nThe password (at least 10 characters) comes from PARLEY_PASSWORD, or from the first line of stdin with --password-stdin; never from the command line, where other users of the machine could read it.',
  'reset-password':
    'Usage: parley reset-password --email E [--password-stdin]\n\nSets the password from PARLEY_PASSWORD or stdin, and ends the agent\'s sessions and open consoles.',
  'export-contact': 'Usage: parley export-contact <contact-id> [--out FILE]\n\nThe export is recorded in the audit log.',
  'erase-contact': 'Usage: parley erase-contact <contact-id> --yes [--reason TEXT]\n\nErases the contact, their conversations, messages and files; the audit log keeps who, when and how much.',
};

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The first line of standard input. */
  readLine: () => Promise<string>;
  env: NodeJS.ProcessEnv;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readLine: () =>
    new Promise((done) => {
      const lines = createInterface({ input: process.stdin });
      let first: string | undefined;
      lines.once('line', (line) => {
        first = line;
        lines.close();
      });
      lines.once('close', () => done(first ?? ''));
    }),
  env: process.env,
};

/** A usage mistake: printed with the command's help, exit code 2. */
class UsageError extends Error {}

/** Runs one command; resolves with the process exit code. `start` is handled by bin/parley.mjs. */
export async function run(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(`${HELP}\n`);
    return command ? 0 : 2;
  }
  const help = COMMAND_HELP[command];
  if (!help) {
    io.stderr(`parley: unknown command "${command}"\n\n${HELP}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${help}\n`);
    return 0;
  }
  try {
    return await commands[command as keyof typeof commands](rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`parley ${command}: ${error.message}\n\n${help}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    if (error instanceof AppError) {
      // field problems name their field; anything else is its sentence
      const lines = error.issues?.length ? error.issues.map((i) => `--${i.path}: ${i.message}`) : [error.message];
      io.stderr(lines.map((line) => `parley ${command}: ${line}\n`).join(''));
      return 1;
    }
    io.stderr(`parley ${command} failed: ${(error as Error).stack ?? error}\n`);
    return 1;
  }
}

function options<T extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], spec: T, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec, allowPositionals: positionals > 0, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length !== positionals) throw new UsageError(positionals ? 'expected one contact id' : 'unexpected arguments');
  return parsed;
}

/** The password for a new or reset account: PARLEY_PASSWORD, or stdin's first line with --password-stdin. */
async function password(io: CliIo, fromStdin: boolean | undefined): Promise<string> {
  const value = fromStdin ? await io.readLine() : io.env.PARLEY_PASSWORD;
  if (!value) throw new UsageError('no password: set PARLEY_PASSWORD, or pass --password-stdin and write it to stdin');
  return value;
}

/** The whole server's services on the store, without listening; closed when the work is done. */
async function withParley<T>(io: CliIo, work: (parley: Parley, actor: AgentIdentity) => Promise<T>): Promise<T> {
  const config = loadConfig(configPath(io.env));
  const parley = await createParley({
    config,
    // warnings go to stderr: stdout carries what a command prints (an export's JSON)
    log: pino({ level: io.env.LOG_LEVEL ?? 'warn', base: undefined }, pino.destination(2)),
    dataDir: resolve(io.env.DATA_DIR ?? 'data'),
    ...(postgresFromEnv(io.env) ? { postgres: postgresFromEnv(io.env) } : {}),
    rateLimits: false,
    // a command does its one thing: the server's timed work (follow-ups, retention, presence) stays with the server
    scheduler: { every: () => () => {} },
  });
  let who = 'unknown';
  try {
    who = `${userInfo().username}@${hostname()}`;
  } catch {
    // no user name on this system: the host alone says where it came from
  }
  const actor: AgentIdentity = { id: 'cli', email: '', name: `command line (${who})`, role: 'admin', sessionHash: '' };
  try {
    return await work(parley, actor);
  } finally {
    await parley.close();
  }
}

const commands = {
  start: async (): Promise<number> => {
    throw new UsageError('`parley start` is run by bin/parley.mjs');
  },

  async migrate(args: string[], io: CliIo): Promise<number> {
    options(args, {});
    const dataDir = resolve(io.env.DATA_DIR ?? 'data');
    const pg = postgresFromEnv(io.env);
    const db = await openStore({ dataDir, ...(pg ? { databaseUrl: pg.url, schema: pg.schema } : {}) });
    try {
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      const where = pg ? `PostgreSQL${pg.schema ? ` (schema ${pg.schema})` : ''}` : dataDir;
      io.stdout(`store ${where} is up to date: ${rows.length} migrations, the latest ${rows.at(-1)?.name ?? 'none'}\n`);
    } finally {
      await db.destroy();
    }
    return 0;
  },

  async 'create-agent'(args: string[], io: CliIo): Promise<number> {
    const { values } = options(args, { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } });
    if (!values.email || !values.name) throw new UsageError('--email and --name are required');
    const secret = await password(io, values['password-stdin']);
    const agent = await withParley(io, (parley, actor) =>
      parley.routing.directory.create(actor, { email: values.email, name: values.name, role: values.role ?? 'agent', password: secret }),
    );
    io.stdout(`created ${agent.role} ${agent.name} <${agent.email}> (${agent.id})\n`);
    return 0;
  },

  async 'reset-password'(args: string[], io: CliIo): Promise<number> {
    const { values } = options(args, { email: { type: 'string' }, 'password-stdin': { type: 'boolean' } });
    if (!values.email) throw new UsageError('--email is required');
    const secret = await password(io, values['password-stdin']);
    const name = await withParley(io, async (parley, actor) => {
      const email = values.email!.trim().toLowerCase();
      const agent = await parley.db.selectFrom('agents').select(['id', 'name']).where('email', '=', email).executeTakeFirst();
      if (!agent) throw new AppError(ErrorCode.NotFound, `no agent with the email ${email}`);
      await parley.routing.directory.update(actor, agent.id, { password: secret });
      return agent.name;
    });
    io.stdout(`password changed for ${name}; their sessions have ended\n`);
    return 0;
  },

  async 'export-contact'(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = options(args, { out: { type: 'string' } }, 1);
    const data = await withParley(io, (parley, actor) => parley.personalData.export(actor, positionals[0]!));
    const json = `${JSON.stringify(data, null, 2)}\n`;
    if (values.out) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(values.out, json, { mode: 0o600 });
      io.stderr(`wrote ${values.out}\n`);
    } else io.stdout(json);
    return 0;
  },

  async 'erase-contact'(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = options(args, { yes: { type: 'boolean' }, reason: { type: 'string' } }, 1);
    if (!values.yes) throw new UsageError('erasing cannot be undone: add --yes');
    const result = await withParley(io, (parley, actor) => parley.personalData.erase(actor, positionals[0]!, values.reason ?? null));
    io.stdout(`erased contact ${positionals[0]}: ${result.conversations} conversations, ${result.messages} messages, ${result.files} files\n`);
    return 0;
  },
};
