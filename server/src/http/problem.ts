import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode, type Problem } from '../../../protocol/src/index';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/** Sends an AppError as RFC 9457 problem JSON. */
export function sendProblem(res: Response, error: AppError): void {
  const body: Problem = {
    type: `https://parley.dev/problems/${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    code: error.code,
  };
  if (error.issues) body.issues = error.issues;
  if (error.retryAfter !== undefined) {
    body.retryAfter = error.retryAfter;
    res.setHeader('Retry-After', String(error.retryAfter));
  }
  res.status(error.status).type('application/problem+json').send(JSON.stringify(body));
}

/** The last middleware: every error leaves as problem JSON, unknown ones hidden. */
export function problemHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (error instanceof AppError) return sendProblem(res, error);
    const e = error as { type?: string; status?: number };
    if (e?.type === 'entity.too.large') return sendProblem(res, new AppError(ErrorCode.PayloadTooLarge, 'the body is too large'));
    if (e?.type === 'entity.parse.failed') return sendProblem(res, new AppError(ErrorCode.InvalidPayload, 'the body is not valid JSON'));
    if (e?.status && e.status >= 400 && e.status < 500) return sendProblem(res, new AppError(ErrorCode.InvalidPayload, 'bad request'));
    // with the request's id, when the request log gave it one
    ((req as Request & { log?: Logger }).log ?? log).error({ err: error }, 'request failed');
    sendProblem(res, new AppError(ErrorCode.Internal, 'internal error'));
  };
}

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers over 16 KB, a malformed
 * request line) leave as problem JSON too, then the connection closes: 431 for headers too large,
 * 400 for anything else the parser could not read.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body: Problem = {
    type: `https://parley.dev/problems/${tooLarge ? ErrorCode.PayloadTooLarge : ErrorCode.InvalidPayload}`,
    title: tooLarge ? 'Request header fields too large' : 'Bad request',
    status: tooLarge ? 431 : 400,
    detail: tooLarge ? 'the request headers are larger than the server accepts (16 KB)' : 'the request could not be read',
    code: tooLarge ? ErrorCode.PayloadTooLarge : ErrorCode.InvalidPayload,
  };
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${body.status} ${body.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}
