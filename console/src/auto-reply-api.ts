import type { AutoReplyScope, AutoReplySetting, Problem, QuickReply } from '../../protocol/src/index';
import { ApiError } from './api';

/** The console's REST calls for quick replies and the admins' auto-reply settings. Only models use it. */
export interface AutoReplyApi {
  /** The quick replies for a conversation, filled in for its contact and the signed-in agent. */
  quickReplies(conversationId: string): Promise<QuickReply[]>;
  /** Every auto-reply scope with its value in force (admins only). */
  settings(): Promise<AutoReplySetting[]>;
  /** Saves an admin's edit of one scope; the server checks it with the config file's schema. */
  save(scope: AutoReplyScope, value: unknown): Promise<AutoReplySetting>;
  /** Drops an admin's edit: the config file's value applies again. */
  reset(scope: AutoReplyScope): Promise<AutoReplySetting>;
}

/** Builds the client against `base` (same origin by default). */
export function createAutoReplyApi(base = '/api/v1'): AutoReplyApi {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
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
    if (!res.ok) {
      let problem: Partial<Problem> = {};
      try {
        problem = (await res.json()) as Partial<Problem>;
      } catch {
        // not JSON: the status line will do
      }
      throw new ApiError(res.status, problem.detail || problem.title || `Request failed (${res.status})`, problem.code ?? 'http_error', problem.issues ?? []);
    }
    return (await res.json()) as T;
  }

  return {
    async quickReplies(conversationId) {
      return (await request<{ quickReplies: QuickReply[] }>('GET', `/conversations/${encodeURIComponent(conversationId)}/quick-replies`)).quickReplies;
    },
    async settings() {
      return (await request<{ settings: AutoReplySetting[] }>('GET', '/auto-replies')).settings;
    },
    async save(scope, value) {
      return (await request<{ setting: AutoReplySetting }>('PUT', `/auto-replies/${encodeURIComponent(scope)}`, { value })).setting;
    },
    async reset(scope) {
      // a JSON body marks the request as not coming from a cross-site form
      return (await request<{ setting: AutoReplySetting }>('DELETE', `/auto-replies/${encodeURIComponent(scope)}`, {})).setting;
    },
  };
}
