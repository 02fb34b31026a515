import { signal } from '@preact/signals';
import type { AgentSession } from '../../../protocol/src/models';
import { ApiError, request } from '../api';

/** The browsers the agent is signed in on, and ending one of them ("where am I signed in"). */
export function createSessionsModel(base = '/api/v1') {
  const sessions = signal<AgentSession[] | null>(null);
  const error = signal<string | null>(null);
  const busy = signal(false);
  const say = (e: unknown) => (error.value = e instanceof ApiError ? e.message : 'Something went wrong. Try again.');

  return {
    sessions,
    error,
    busy,
    async load(): Promise<void> {
      try {
        sessions.value = (await request<{ sessions: AgentSession[] }>(base, 'GET', '/auth/sessions')).sessions;
        error.value = null;
      } catch (e) {
        say(e);
      }
    },
    /** Signs that browser out; its console tabs close their connection at once. */
    async end(id: string): Promise<void> {
      busy.value = true;
      try {
        await request<void>(base, 'DELETE', `/auth/sessions/${encodeURIComponent(id)}`);
        sessions.value = (sessions.value ?? []).filter((s) => s.id !== id);
        error.value = null;
      } catch (e) {
        say(e);
      } finally {
        busy.value = false;
      }
    },
  };
}

export type SessionsModel = ReturnType<typeof createSessionsModel>;

/** "Chrome on Linux" from a user agent, for people; the raw text stays available as a title. */
export function browserOf(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : 'A browser';
  const os = /iPhone|iPad/.test(userAgent) ? 'iOS' : /Android/.test(userAgent) ? 'Android' : /Mac OS X/.test(userAgent) ? 'macOS' : /Windows/.test(userAgent) ? 'Windows' : /Linux/.test(userAgent) ? 'Linux' : 'an unknown system';
  return `${browser} on ${os}`;
}
