import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import type { SessionModel } from '../models/session';
import { AuthCard, Field } from './Field';

/** The page an invitation link opens: the new agent picks their name and password, and is signed in. */
export function AcceptInvite({ session, token, onSubmit }: { session: SessionModel; token: string; onSubmit(input: { name: string; password: string }): Promise<void> }): JSX.Element {
  const name = useSignal('');
  const password = useSignal('');
  const error = session.error.value;
  return (
    <AuthCard title="Join your team on Parley" intro="You were invited as an agent. Pick the name customers will see and a password.">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void onSubmit({ name: name.value, password: password.value });
        }}
        noValidate
      >
        {!token && (
          <p role="alert" class="form-alert">
            This invitation link has no token. Use the whole link you were sent.
          </p>
        )}
        {error && (
          <p role="alert" class="form-alert">
            {error.message}
          </p>
        )}
        <Field id="name" label="Name" autoComplete="name" required value={name.value} error={error?.fields.name} onInput={(v) => (name.value = v)} />
        <Field id="password" label="Password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters." value={password.value} error={error?.fields.password} onInput={(v) => (password.value = v)} />
        <button type="submit" class="button primary wide" disabled={session.busy.value || !token}>
          {session.busy.value ? 'Joining…' : 'Join'}
        </button>
      </form>
    </AuthCard>
  );
}
