import type { FieldIssue, Problem } from '../../../protocol/src/index';

/** An HTTP answer that was not a success; carries the problem JSON's issues when the server sent them. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/**
 * One call to a site's visitor API (`config?lang=…`, `conversations`): a GET, or a POST of `body` as
 * JSON, with the visitor's token when there is one. A failure becomes an ApiError.
 */
export async function siteApi<T>(origin: string, siteId: string, path: string, token?: string, body?: object): Promise<T> {
  const headers: Record<string, string> = body ? { 'Content-Type': 'application/json' } : {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${origin}/api/v1/sites/${encodeURIComponent(siteId)}/${path}`, {
    method: body ? 'POST' : 'GET',
    headers,
    body: body && JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const p = (json ?? {}) as Partial<Problem>;
    throw new ApiError(p.detail ?? p.title ?? `HTTP ${res.status}`, res.status, p.issues);
  }
  return json as T;
}
