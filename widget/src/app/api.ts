import type { FieldIssue, Problem, PublicSiteConfig, StartConversation, StartConversationResult } from '../../../protocol/src/index';

/** An HTTP answer that was not a success; carries the problem JSON when the server sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const p = (body ?? {}) as Partial<Problem>;
    throw new ApiError(res.status, p.code ?? 'http_error', p.detail ?? p.title ?? `HTTP ${res.status}`, p.issues ?? []);
  }
  return body as T;
}

/** The site's public configuration in the visitor's language. */
export function fetchConfig(origin: string, siteId: string, lang: string): Promise<PublicSiteConfig> {
  return request(`${origin}/api/v1/sites/${encodeURIComponent(siteId)}/config?lang=${encodeURIComponent(lang)}`);
}

/** Starts a conversation with the survey's answers; sends the visitor's token when one is known. */
export function startConversation(
  origin: string,
  siteId: string,
  body: StartConversation,
  token: string | undefined,
): Promise<StartConversationResult> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return request(`${origin}/api/v1/sites/${encodeURIComponent(siteId)}/conversations`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
}
