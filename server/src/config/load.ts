import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as v from 'valibot';
import { issuePath } from '../errors';
import { ROOT } from '../paths';
import { type Config, ConfigSchema } from './schema';

/** A config file that cannot be used; its message lists every problem by path. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(`invalid config ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Checks a parsed config object; throws ConfigError naming each bad path. */
export function validateConfig(input: unknown, file = 'config'): Config {
  const result = v.safeParse(ConfigSchema, input);
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const path = issuePath(issue) || '(root)';
    const received = issue.received && issue.kind === 'schema' ? ` (received ${issue.received})` : '';
    return `${path}: ${issue.message}${received}`;
  });
  throw new ConfigError(file, problems);
}

/** Where the config comes from: `CONFIG`, else ./parley.config.json, else the demo's. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CONFIG) return resolve(env.CONFIG);
  const local = resolve('parley.config.json');
  if (existsSync(local)) return local;
  return resolve(ROOT, 'demo/parley.config.json');
}

/** Reads and validates the config file. */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return validateConfig(json, file);
}
