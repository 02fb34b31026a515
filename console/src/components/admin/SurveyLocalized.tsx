import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import type { FieldIssue } from '../../../../protocol/src/index';
import { type Texts, issueAt } from '../../models/survey-draft';

interface Props {
  /** Unique prefix of the element ids. */
  id: string;
  /** What the text is, for the legend and every input's name: "Label" → "Label (es)". */
  legend: string;
  texts: Texts;
  /** The default language: always has a row. */
  language: string;
  /** Languages offered when adding one (the site's). */
  languages: string[];
  /** Where the text sits in the written survey, to find the server's issues: `prechat.fields[2].label`. */
  path: string;
  issues: FieldIssue[];
  multiline?: boolean;
  hint?: string;
  onChange(texts: Texts): void;
}

const TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** One text per language as a small table (language → text), with a way to add a language. */
export function SurveyLocalized(props: Props): JSX.Element {
  const adding = useSignal('');
  const addError = useSignal<string | null>(null);
  const rows = [...new Set([props.language, ...Object.keys(props.texts)])];
  const missing = props.languages.filter((l) => !rows.includes(l));
  const own = issueAt(props.issues, props.path);
  const ownId = `${props.id}-error`;
  const listId = `${props.id}-langs`;

  function add(): void {
    const tag = adding.value.trim();
    if (!TAG.test(tag)) {
      addError.value = 'Enter a language tag such as es or zh-CN';
      return;
    }
    addError.value = null;
    adding.value = '';
    if (!(tag in props.texts)) props.onChange({ ...props.texts, [tag]: '' });
  }

  return (
    <fieldset class="sl" aria-describedby={own ? ownId : undefined}>
      <legend>{props.legend}</legend>
      {props.hint && <p class="hint">{props.hint}</p>}
      <table class="sl-table">
        <tbody>
          {rows.map((lang) => {
            const inputId = `${props.id}-${lang}`;
            const error = issueAt(props.issues, `${props.path}.${lang}`);
            const common = {
              id: inputId,
              value: props.texts[lang] ?? '',
              'aria-label': `${props.legend} (${lang})`,
              'aria-invalid': error || own ? ('true' as const) : undefined,
              'aria-describedby': error ? `${inputId}-error` : own ? ownId : undefined,
              onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => props.onChange({ ...props.texts, [lang]: e.currentTarget.value }),
            };
            return (
              <tr key={lang}>
                <th scope="row" class="sl-lang">
                  {lang}
                </th>
                <td>
                  {props.multiline ? <textarea rows={2} {...common} /> : <input {...common} />}
                  {error && (
                    <span id={`${inputId}-error`} class="field-error">
                      {error}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {own && (
        <p id={ownId} class="field-error">
          {own}
        </p>
      )}
      <div class="sl-add">
        <input
          list={listId}
          value={adding.value}
          placeholder="es, zh-CN…"
          aria-label={`Another language for ${props.legend}`}
          aria-invalid={addError.value ? 'true' : undefined}
          aria-describedby={addError.value ? `${props.id}-add-error` : undefined}
          onInput={(e) => (adding.value = e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <datalist id={listId}>
          {missing.map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
        <button type="button" class="button" aria-label={`Add a language to ${props.legend}`} onClick={add}>
          Add language
        </button>
        {addError.value && (
          <span id={`${props.id}-add-error`} class="field-error">
            {addError.value}
          </span>
        )}
      </div>
    </fieldset>
  );
}
