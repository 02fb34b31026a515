import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import type { SessionModel } from '../models/session';
import { AuthCard, Field } from './Field';

/** Props of {@link Setup}. */
export interface SetupProps {
  session: SessionModel;
  token: string;
  onSubmit(input: { name: string; email: string; password: string }): Promise<void>;
}

/** The first-admin form reached through the one-time setup link. */
export function Setup({ session, token, onSubmit }: SetupProps): JSX.Element {
  const name = useSignal('');
  const email = useSignal('');
  const password = useSignal('');
  const error = session.error.value;

  function submit(e: SubmitEvent): void {
    e.preventDefault();
    void onSubmit({ name: name.value, email: email.value, password: password.value });
  }

  return (
    <AuthCard title="Create the first admin" intro="This account can invite agents and change the settings.">
      <form onSubmit={submit} noValidate>
        {!token && (
          <p role="alert" class="form-alert">
            This setup link has no token. Use the full link printed by the server.
          </p>
        )}
        {error && (
          <p role="alert" class="form-alert">
            {error.message}
          </p>
        )}
        <Field id="name" label="Name" autoComplete="name" required value={name.value} error={error?.fields.name} onInput={(v) => (name.value = v)} />
        <Field id="email" label="Email" type="email" autoComplete="username" required value={email.value} error={error?.fields.email} onInput={(v) => (email.value = v)} />
        <Field id="password" label="Password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters." value={password.value} error={error?.fields.password} onInput={(v) => (password.value = v)} />
        <button type="submit" class="button primary wide" disabled={session.busy.value || !token}>
          {session.busy.value ? 'Creating…' : 'Create admin'}
        </button>
      </form>
    </AuthCard>
  );
}
