import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type ResolvedTarget, resolveTarget } from './targets';

/** How long a receiver has to answer, connection included. */
export const SEND_TIMEOUT_MS = 10_000;
/** How much of a receiver's answer is kept for the delivery log. */
const KEPT_RESPONSE = 1024;

export interface SendOutcome {
  /** The HTTP status, or null when no answer came (refused, timed out, unreachable). */
  status: number | null;
  /** The start of the answer's body, or the reason none came. */
  response: string | null;
  error: string | null;
}

/** Sends one delivery; never throws. */
export type WebhookSender = (url: string, allowPrivate: boolean, headers: Record<string, string>, body: string) => Promise<SendOutcome>;

/**
 * POSTs over node:http(s) to the address `resolveTarget` checked (the connection's lookup is
 * pinned to it, TLS still verifies the URL's host name). Redirects are not followed: a 3xx is
 * an answer like any other non-2xx, and counts as a failure.
 */
export const httpSender: WebhookSender = async (url, allowPrivate, headers, body) => {
  let target: URL;
  let resolved: ResolvedTarget;
  try {
    target = new URL(url);
    resolved = await resolveTarget(target, allowPrivate);
  } catch (error) {
    return { status: null, response: null, error: (error as Error).message };
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendOutcome>((resolve) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Parley-Webhooks/1' },
        timeout: SEND_TIMEOUT_MS,
        // connect to the checked address, whatever the name resolves to now
        lookup: (_host, options, callback) => {
          if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [resolved]);
          else callback(null, resolved.address, resolved.family);
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < KEPT_RESPONSE) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? null, response: Buffer.concat(chunks).toString('utf8').slice(0, KEPT_RESPONSE), error: null }));
        res.on('error', (err) => resolve({ status: res.statusCode ?? null, response: null, error: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${SEND_TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => resolve({ status: null, response: null, error: err.message }));
    req.end(body);
  });
};
