import type { PublicField } from '../../../../../protocol/src/index';

/** Autofill hints, looked up by field key and then by field type. */
const AUTOCOMPLETE: Record<string, string> = { name: 'name', email: 'email', phone: 'tel' };

/** The id of a field's error, which the field points at; the control's id is `parley-f-<key>`, its help's `parley-h-<key>`. */
export const errorId = (key: string): string => `parley-e-${key}`;

interface Props {
  field: PublicField;
  /** The starting answer (owner's default or the page's value): set as the default, so typing is never undone. */
  value: string | boolean | undefined;
  /** The empty first option of a select. */
  choose: string;
  error?: string;
}

/** One survey control by field type, uncontrolled: the survey reads the form's data on submit. */
export function Field({ field, value, choose, error }: Props) {
  const { key, type, required } = field;
  const id = `parley-f-${key}`;
  const helpId = field.help ? `parley-h-${key}` : '';
  const describedBy = `${helpId} ${error ? errorId(key) : ''}`.trim() || undefined;
  const a11y = {
    name: key,
    required,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
  };
  const help = field.help && (
    <p class="help" id={helpId}>
      {field.help}
    </p>
  );
  // the visible label plus a star that assistive tools skip, so the accessible name is the label alone
  const labelText = (
    <>
      {field.label}
      {required && (
        <span class="req" aria-hidden="true">
          {' *'}
        </span>
      )}
    </>
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
          {labelText}
        </legend>
        {field.options?.map((o, i) => (
          <label class="opt" key={o.value}>
            <input type="radio" id={i === 0 ? id : undefined} value={o.value} defaultChecked={o.value === value} {...a11y} />
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
        <input type="checkbox" id={id} value="true" defaultChecked={value === true} {...a11y} />
        <label for={id}>
          {labelText}
        </label>
        {help}
        {err}
      </div>
    );

  const common = { id, placeholder: field.placeholder, ...a11y };
  const text = typeof value === 'string' ? value : undefined;
  return (
    <div class="field">
      <label for={id}>
        {labelText}
      </label>
      {type === 'select' ? (
        <select {...common}>
          <option value="">{choose}</option>
          {field.options?.map((o) => (
            <option key={o.value} value={o.value} selected={o.value === text}>
              {o.label}
            </option>
          ))}
        </select>
      ) : type === 'textarea' ? (
        <textarea rows={3} maxLength={field.maxLength} defaultValue={text} {...common} />
      ) : (
        <input
          // what is left: text, email, number, phone
          type={type === 'phone' ? 'tel' : type}
          autocomplete={AUTOCOMPLETE[key] ?? AUTOCOMPLETE[type]}
          maxLength={field.maxLength}
          defaultValue={text}
          {...common}
        />
      )}
      {help}
      {err}
    </div>
  );
}
