/**
 * Error codes shared by the server and its clients. Acks carry
 * `{ ok: false, code, message }`; HTTP answers carry the code in RFC 9457
 * problem JSON (`code` extension member).
 */
export const ErrorCode = {
  InvalidPayload: 'invalid_payload',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  ConversationClosed: 'conversation_closed',
  RateLimited: 'rate_limited',
  PayloadTooLarge: 'payload_too_large',
  UnsupportedMediaType: 'unsupported_media_type',
  Internal: 'internal_error',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One problem with one field of a payload, for inline display. */
export interface FieldIssue {
  /** Dotted path of the offending field, for example `answers.email`. */
  path: string;
  message: string;
}

export interface AckError {
  ok: false;
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
  /** With `rate_limited`: whole seconds to wait before trying again. */
  retryAfter?: number;
}

export interface AckSuccess<T> {
  ok: true;
  data: T;
}

export type Ack<T> = AckSuccess<T> | AckError;

/** RFC 9457 problem details, as every HTTP error of the server is sent. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  issues?: FieldIssue[];
  /** With `rate_limited` (429): whole seconds to wait before trying again, as the `Retry-After` header says. */
  retryAfter?: number;
}
