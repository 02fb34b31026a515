import type { AgentSummary, Problem } from '../../protocol/src/index';
import { ApiError } from './api';

/** What an admin sends to create or change an agent. */
export interface AgentInput {
  email?: string;
  name?: string;
  password?: string;
  role?: 'admin' | 'agent';
  languages?: string[];
  capacity?: number | null;
  teams?: string[];
}

/** The admins' REST calls for agents. Only models use it. */
export interface RoutingApi {
  createAgent(input: AgentInput): Promise<AgentSummary>;
  updateAgent(id: string, input: AgentInput): Promise<AgentSummary>;
}

/** Builds the client against `base` (same origin by default). */
export function createRoutingApi(base = '/api/v1'): RoutingApi {
  async function request(method: string, path: string, body: unknown): Promise<AgentSummary> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.', 'network_error');
    }
    if (!res.ok) {
      let problem: Partial<Problem> = {};
      try {
        problem = (await res.json()) as Partial<Problem>;
      } catch {
        // not JSON: the status line will do
      }
      throw new ApiError(res.status, problem.detail || problem.title || `Request failed (${res.status})`, problem.code ?? 'http_error', problem.issues ?? []);
    }
    return (await res.json()) as AgentSummary;
  }
  return {
    createAgent: (input) => request('POST', '/agents', input),
    updateAgent: (id, input) => request('PATCH', `/agents/${encodeURIComponent(id)}`, input),
  };
}
