import * as v from 'valibot';
import { type AckError, ErrorCode, type FieldIssue } from '../../protocol/src/index';

/** One registry of errors: each code has its HTTP status and title. */
const registry: Record<ErrorCode, { status: number; title: string }> = {
  [ErrorCode.InvalidPayload]: { status: 422, title: 'Invalid payload' },
  [ErrorCode.Unauthorized]: { status: 401, title: 'Unauthorized' },
  [ErrorCode.Forbidden]: { status: 403, title: 'Forbidden' },
  [ErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [ErrorCode.Conflict]: { status: 409, title: 'Conflict' },
  [ErrorCode.ConversationClosed]: { status: 409, title: 'Conversation closed' },
  [ErrorCode.RateLimited]: { status: 429, title: 'Too many requests' },
  [ErrorCode.PayloadTooLarge]: { status: 413, title: 'Payload too large' },
  [ErrorCode.UnsupportedMediaType]: { status: 415, title: 'Unsupported media type' },
  [ErrorCode.Internal]: { status: 500, title: 'Internal server error' },
};

/** An error the server means to report to its client. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[] | undefined;
  /** Whole seconds after which the same request may succeed (`rate_limited`); sent as `retryAfter` and `Retry-After`. */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, issues?: FieldIssue[], options: { retryAfter?: number } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
    this.retryAfter = options.retryAfter;
  }

  get status(): number {
    return registry[this.code].status;
  }

  get title(): string {
    return registry[this.code].title;
  }
}

/** Dotted path of a valibot issue: `answers.email`, `fields[2].type`. */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = item.key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Turns valibot issues into field issues, one per path (the first message wins). */
export function toFieldIssues(issues: readonly v.BaseIssue<unknown>[], prefix = ''): FieldIssue[] {
  const seen = new Map<string, string>();
  for (const issue of issues) {
    const inner = issuePath(issue);
    const path = prefix && inner ? `${prefix}.${inner}` : prefix || inner;
    if (!seen.has(path)) seen.set(path, issue.message);
  }
  return [...seen].map(([path, message]) => ({ path, message }));
}

/** Parses with a schema or throws an `invalid_payload` AppError naming each bad field. */
export function parseOrThrow<S extends v.GenericSchema>(schema: S, input: unknown, prefix = ''): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  throw invalidPayload(toFieldIssues(result.issues, prefix), 'invalid payload');
}

/** An `invalid_payload` error carrying these issues, its message the first three of them (or `fallback`). */
export function invalidPayload(issues: FieldIssue[], fallback: string): AppError {
  const summary = issues
    .slice(0, 3)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
  return new AppError(ErrorCode.InvalidPayload, summary || fallback, issues);
}

/** A `rate_limited` error: try again after `retryAfterMs`, rounded up to whole seconds (at least one). */
export function rateLimited(message: string, retryAfterMs: number): AppError {
  return new AppError(ErrorCode.RateLimited, message, undefined, { retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
}

/** The ack an error becomes; unknown errors are hidden behind `internal_error`. */
export function toAckError(error: unknown): AckError {
  if (error instanceof AppError) {
    const ack: AckError = { ok: false, code: error.code, message: error.message };
    if (error.issues) ack.issues = error.issues;
    if (error.retryAfter !== undefined) ack.retryAfter = error.retryAfter;
    return ack;
  }
  return { ok: false, code: ErrorCode.Internal, message: 'internal error' };
}
