import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import type { SessionModel } from '../models/session';
import { AuthCard, Field } from './Field';

/** The sign-in screen, shown when the server has no session for this browser. */
export function SignIn({ session }: { session: SessionModel }): JSX.Element {
  const email = useSignal('');
  const password = useSignal('');
  const error = session.error.value;

  function onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    void session.signIn(email.value, password.value).then((ok) => {
      if (!ok) password.value = '';
    });
  }

  return (
    <AuthCard title="Sign in to your inbox">
      <form onSubmit={onSubmit} noValidate>
        {error && (
          <p role="alert" class="form-alert">
            {error.message}
          </p>
        )}
        <Field id="email" label="Email" type="email" autoComplete="username" required value={email.value} error={error?.fields.email} onInput={(v) => (email.value = v)} />
        <Field id="password" label="Password" type="password" autoComplete="current-password" required value={password.value} error={error?.fields.password} onInput={(v) => (password.value = v)} />
        <button type="submit" class="button primary wide" disabled={session.busy.value}>
          {session.busy.value ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthCard>
  );
}
