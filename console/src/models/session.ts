import { batch, signal, type ReadonlySignal } from '@preact/signals';
import type { AgentProfile, FieldIssue } from '../../../protocol/src/index';
import { ApiError, type Api } from '../api';

/** Where the console stands with the server's session. */
export type SessionState = 'loading' | 'signedOut' | 'signedIn';

/** A form error: one sentence for the alert plus per-field messages. */
export interface FormError {
  message: string;
  fields: Record<string, string>;
}

/** The signed-in agent and the actions that sign in, set up, and sign out. */
export interface SessionModel {
  state: ReadonlySignal<SessionState>;
  agent: ReadonlySignal<AgentProfile | null>;
  /** True while a sign-in, setup or sign-out request runs. */
  busy: ReadonlySignal<boolean>;
  error: ReadonlySignal<FormError | null>;
  /** Asks the server who is signed in. */
  check(): Promise<void>;
  signIn(email: string, password: string): Promise<boolean>;
  setup(input: { token: string; name: string; email: string; password: string }): Promise<boolean>;
  acceptInvite(input: { token: string; name: string; password: string }): Promise<boolean>;
  signOut(): Promise<void>;
  /** Drops the session locally, for when the server says it is gone. */
  expire(message?: string): void;
  clearError(): void;
}

function toFormError(err: unknown): FormError {
  if (err instanceof ApiError) {
    const fields: Record<string, string> = {};
    for (const issue of err.issues as FieldIssue[]) {
      const key = issue.path.split('.').pop() ?? issue.path;
      fields[key] ??= issue.message;
    }
    return { message: sentence(err.message), fields };
  }
  return { message: 'Something went wrong. Please try again.', fields: {} };
}

/** A server message as a sentence a person reads: capitalised and ended with a full stop. */
export function sentence(message: string): string {
  const text = message.trim();
  if (!text) return 'Something went wrong. Please try again.';
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

/** What a failed sign-in says: a wrong email or password reads as advice, not as the server's words. */
export function signInError(err: unknown): FormError {
  if (err instanceof ApiError && (err.status === 401 || err.code === 'unauthorized')) {
    return { message: 'Wrong email or password. Try again.', fields: {} };
  }
  if (err instanceof ApiError && (err.status === 429 || err.code === 'rate_limited')) {
    return { message: 'Too many attempts. Wait a minute, then try again.', fields: {} };
  }
  return toFormError(err);
}

/** Builds the session model over the REST client. */
export function createSessionModel(api: Api): SessionModel {
  const state = signal<SessionState>('loading');
  const agent = signal<AgentProfile | null>(null);
  const busy = signal(false);
  const error = signal<FormError | null>(null);

  function signedIn(profile: AgentProfile): void {
    batch(() => {
      agent.value = profile;
      state.value = 'signedIn';
      error.value = null;
    });
  }

  async function submit(run: () => Promise<AgentProfile>, explain: (err: unknown) => FormError = toFormError): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    error.value = null;
    try {
      signedIn(await run());
      return true;
    } catch (err) {
      error.value = explain(err);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    state,
    agent,
    busy,
    error,
    async check() {
      try {
        const profile = await api.me();
        if (profile) signedIn(profile);
        else state.value = 'signedOut';
      } catch (err) {
        batch(() => {
          state.value = 'signedOut';
          error.value = toFormError(err);
        });
      }
    },
    signIn(email, password) {
      return submit(() => api.login(email.trim(), password), signInError);
    },
    setup(input) {
      return submit(() => api.setup({ ...input, name: input.name.trim(), email: input.email.trim() }));
    },
    acceptInvite(input) {
      return submit(() => api.acceptInvite({ ...input, name: input.name.trim() }));
    },
    async signOut() {
      busy.value = true;
      try {
        await api.logout();
      } catch {
        // the cookie may already be gone; signing out locally is what matters
      } finally {
        batch(() => {
          busy.value = false;
          agent.value = null;
          state.value = 'signedOut';
        });
      }
    },
    expire(message = 'Your session has ended. Please sign in again.') {
      batch(() => {
        agent.value = null;
        state.value = 'signedOut';
        error.value = { message, fields: {} };
      });
    },
    clearError() {
      error.value = null;
    },
  };
}
