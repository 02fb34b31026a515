import type { AgentProfile, FieldIssue, Problem } from '../../protocol/src/index';

/** An HTTP request that failed, with the server's problem details when it sent some. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  readonly code: string;
  readonly issues: FieldIssue[];

  constructor(status: number, message: string, code: string, issues: FieldIssue[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

/** The console's REST calls. Only models use it; views never fetch. */
export interface Api {
  /** The signed-in agent, or null when the session is missing or expired. */
  me(): Promise<AgentProfile | null>;
  login(email: string, password: string): Promise<AgentProfile>;
  setup(body: { token: string; name: string; email: string; password: string }): Promise<AgentProfile>;
  acceptInvite(body: { token: string; name: string; password: string }): Promise<AgentProfile>;
  logout(): Promise<void>;
}

async function problemOf(res: Response): Promise<ApiError> {
  let problem: Partial<Problem> = {};
  try {
    problem = (await res.json()) as Partial<Problem>;
  } catch {
    // not JSON: fall back to the status line
  }
  const message = problem.detail || problem.title || `Request failed (${res.status})`;
  return new ApiError(res.status, message, problem.code ?? 'http_error', problem.issues ?? []);
}

/**
 * One REST call of the console, JSON both ways: a failed connection or an
 * error status becomes an {@link ApiError} (with the server's problem details),
 * an empty answer (204) resolves to undefined. Every client module uses it.
 */
export async function request<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(base + path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.', 'network_error');
  }
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Builds the REST client against `base` (same origin by default). */
export function createApi(base = '/api/v1'): Api {
  return {
    async me() {
      try {
        return await request<AgentProfile>(base, 'GET', '/auth/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    async login(email, password) {
      return request<AgentProfile>(base, 'POST', '/auth/login', { email, password });
    },
    async acceptInvite(body) {
      return request<AgentProfile>(base, 'POST', '/auth/invite', body);
    },
    async setup(body) {
      return request<AgentProfile>(base, 'POST', '/auth/setup', body);
    },
    async logout() {
      // a JSON body marks the request as not coming from a cross-site form
      await request<void>(base, 'POST', '/auth/logout', {});
    },
  };
}
