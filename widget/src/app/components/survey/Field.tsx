import type { PublicField } from '../../../../../protocol/src/index';

/** Autofill hints, looked up by field key and then by field type. */
const AUTOCOMPLETE: Record<string, string> = { name: 'name', email: 'email', phone: 'tel' };

/** The element ids a field uses, so labels, help and errors can point at each other. */
export const fieldId = (key: string): string => `parley-f-${key}`;
export const errorId = (key: string): string => `parley-e-${key}`;

/** The visible label text plus a star that assistive tools skip, so the accessible name is the label alone. */
function LabelText({ field }: { field: PublicField }) {
  return (
    <>
      {field.label}
      {field.required && (
        <span class="req" aria-hidden="true">
          {' *'}
        </span>
      )}
    </>
  );
}

/** One survey control by field type, uncontrolled: the survey reads the form's data on submit. */
export function Field({ field, error }: { field: PublicField; error?: string }) {
  const { key, type, required } = field;
  const id = fieldId(key);
  const helpId = field.help ? `parley-h-${key}` : '';
  const describedBy = [helpId, error ? errorId(key) : ''].filter(Boolean).join(' ') || undefined;
  const a11y = {
    name: key,
    required,
    'aria-required': required ? ('true' as const) : undefined,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
  };
  const help = field.help && (
    <p class="help" id={helpId}>
      {field.help}
    </p>
  );
  const err = error && (
    <p class="error" id={errorId(key)}>
      {error}
    </p>
  );

  if (type === 'radio')
    return (
      <fieldset class="field">
        <legend>
          <LabelText field={field} />
        </legend>
        {field.options?.map((o, i) => (
          <label class="opt" key={o.value}>
            <input type="radio" id={i === 0 ? id : undefined} value={o.value} {...a11y} />
            {o.label}
          </label>
        ))}
        {help}
        {err}
      </fieldset>
    );

  if (type === 'checkbox')
    return (
      <div class="field check">
        <input type="checkbox" id={id} value="true" {...a11y} />
        <label for={id}>
          <LabelText field={field} />
        </label>
        {help}
        {err}
      </div>
    );

  const common = { id, placeholder: field.placeholder, ...a11y };
  return (
    <div class="field">
      <label for={id}>
        <LabelText field={field} />
      </label>
      {type === 'select' ? (
        <select {...common}>
          <option value="">—</option>
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : type === 'textarea' ? (
        <textarea rows={3} maxLength={field.maxLength} {...common} />
      ) : (
        <input
          // what is left: text, email, number, phone
          type={type === 'phone' ? 'tel' : type}
          autocomplete={AUTOCOMPLETE[key] ?? AUTOCOMPLETE[type]}
          maxLength={field.maxLength}
          {...common}
        />
      )}
      {help}
      {err}
    </div>
  );
}
