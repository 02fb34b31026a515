import pino from 'pino';

export type Logger = pino.Logger;

/** The server's logger: JSON lines on stdout, level from LOG_LEVEL. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: undefined });
}
