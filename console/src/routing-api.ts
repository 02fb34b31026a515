import type { AgentSummary } from '../../protocol/src/index';
import { request } from './api';

/** What an admin sends to create or change an agent. */
export interface AgentInput {
  email?: string;
  name?: string;
  password?: string;
  role?: 'admin' | 'agent';
  languages?: string[];
  capacity?: number | null;
  teams?: string[];
  /** false deactivates the agent (they left); true lets them back in. */
  active?: boolean;
}

/** The admins' REST calls for agents. Only models use it. */
export interface RoutingApi {
  createAgent(input: AgentInput): Promise<AgentSummary>;
  updateAgent(id: string, input: AgentInput): Promise<AgentSummary>;
}

/** Builds the client against `base` (same origin by default). */
export function createRoutingApi(base = '/api/v1'): RoutingApi {
  return {
    createAgent: (input) => request<AgentSummary>(base, 'POST', '/agents', input),
    updateAgent: (id, input) => request<AgentSummary>(base, 'PATCH', `/agents/${encodeURIComponent(id)}`, input),
  };
}
