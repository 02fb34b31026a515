import { ConfigError, validateConfig } from '../../server/src/config/load';

/** The problems start-up would report for a config object, one line each; empty when it is valid. */
export function configProblems(input: unknown): string[] {
  try {
    validateConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
