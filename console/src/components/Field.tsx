import type { JSX } from 'preact';

/** Props of {@link Field}. */
export interface FieldProps {
  id: string;
  label: string;
  type?: string;
  autoComplete?: string;
  value: string;
  error?: string | undefined;
  onInput(value: string): void;
  required?: boolean;
  minLength?: number;
  /** A short help text under the input, replaced by the error when there is one. */
  hint?: string;
}

/** A labelled input with its error message tied to it for assistive tech. */
export function Field(props: FieldProps): JSX.Element {
  const errorId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  const describedBy = props.error ? errorId : props.hint ? hintId : undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        value={props.value}
        required={props.required}
        minLength={props.minLength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.error ? (
        <p id={errorId} class="field-error">
          {props.error}
        </p>
      ) : (
        props.hint && (
          <p id={hintId} class="hint">
            {props.hint}
          </p>
        )
      )}
    </div>
  );
}

/** The centred card that holds the sign-in and setup forms. */
export function AuthCard(props: { title: string; intro?: string; children: JSX.Element | JSX.Element[] }): JSX.Element {
  return (
    <main class="auth">
      <div class="auth-card">
        <p class="brand auth-brand">
          <span class="brand-mark" aria-hidden="true">P</span> Parley
        </p>
        <h1>{props.title}</h1>
        {props.intro && <p class="auth-intro">{props.intro}</p>}
        {props.children}
      </div>
    </main>
  );
}
