import type { AutoReplyScope, AutoReplySetting, QuickReply } from '../../protocol/src/index';
import { request } from './api';

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
  const call = <T>(method: string, path: string, body?: unknown) => request<T>(base, method, path, body);

  return {
    async quickReplies(conversationId) {
      return (await call<{ quickReplies: QuickReply[] }>('GET', `/conversations/${encodeURIComponent(conversationId)}/quick-replies`)).quickReplies;
    },
    async settings() {
      return (await call<{ settings: AutoReplySetting[] }>('GET', '/auto-replies')).settings;
    },
    async save(scope, value) {
      return (await call<{ setting: AutoReplySetting }>('PUT', `/auto-replies/${encodeURIComponent(scope)}`, { value })).setting;
    },
    async reset(scope) {
      // a JSON body marks the request as not coming from a cross-site form
      return (await call<{ setting: AutoReplySetting }>('DELETE', `/auto-replies/${encodeURIComponent(scope)}`, {})).setting;
    },
  };
}
