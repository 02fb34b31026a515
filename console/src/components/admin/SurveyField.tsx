import type { JSX } from 'preact';
import { FIELD_TYPES, type FieldIssue, type FieldType } from '../../../../protocol/src/index';
import {
  type FieldDraft,
  type PageSource,
  type SurveyDraft,
  addOption,
  hasMaxLength,
  hasOptions,
  hasPattern,
  hasPlaceholder,
  issueAt,
  removeOption,
  updateField,
  updateOption,
} from '../../models/survey-draft';
import { SurveyLocalized } from './SurveyLocalized';

export const TYPE_NAMES: Record<FieldType, string> = {
  text: 'Text',
  textarea: 'Multi-line text',
  email: 'Email',
  phone: 'Phone (international)',
  number: 'Number',
  select: 'Select list',
  radio: 'Radio buttons',
  checkbox: 'Checkbox',
  hidden: 'Hidden (filled from the page)',
};

type Edit = (change: (d: SurveyDraft) => SurveyDraft) => void;

/** A labelled single-line control with the server's issue for its path tied to it. */
function Input(props: { id: string; label: string; value: string; issue: string | undefined; hint?: string; type?: string; onInput(value: string): void }): JSX.Element {
  const described = props.issue ? `${props.id}-error` : props.hint ? `${props.id}-hint` : undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        aria-invalid={props.issue ? 'true' : undefined}
        aria-describedby={described}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.issue ? (
        <span id={`${props.id}-error`} class="field-error">
          {props.issue}
        </span>
      ) : (
        props.hint && (
          <span id={`${props.id}-hint`} class="hint">
            {props.hint}
          </span>
        )
      )}
    </div>
  );
}

/** Every setting of one field, those that apply to its type only. */
export function FieldEditor(props: { field: FieldDraft; index: number; languages: string[]; lang: string; issues: FieldIssue[]; edit: Edit }): JSX.Element {
  const { field: f, index: i, languages, lang, issues, edit } = props;
  const path = `prechat.fields[${i}]`;
  const id = `sf-${f.uid}`;
  const set = (patch: Partial<FieldDraft>) => edit((d) => updateField(d, i, patch));
  const localized = (key: 'label' | 'placeholder' | 'help' | 'patternError', legend: string, hint?: string) => (
    <SurveyLocalized
      id={`${id}-${key}`}
      legend={legend}
      texts={f[key]}
      language={lang}
      languages={languages}
      path={`${path}.${key}`}
      issues={issues}
      onChange={(texts) => set({ [key]: texts })}
      {...(hint ? { hint } : {})}
    />
  );
  const typeIssue = issueAt(issues, `${path}.type`);
  const defaultIssue = issueAt(issues, `${path}.default`);

  return (
    <div class="sf-body" id={id}>
      <div class="sf-row">
        <Input id={`${id}-key`} label="Key" value={f.key} issue={issueAt(issues, `${path}.key`)} hint="Letters, digits and _; name, email and phone fill the contact." onInput={(key) => set({ key })} />
        <div class="field">
          <label for={`${id}-type`}>Type</label>
          <select
            id={`${id}-type`}
            value={f.type}
            aria-invalid={typeIssue ? 'true' : undefined}
            aria-describedby={typeIssue ? `${id}-type-error` : undefined}
            onChange={(e) => set({ type: e.currentTarget.value as FieldType })}
          >
            {FIELD_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_NAMES[t]}
              </option>
            ))}
          </select>
          {typeIssue && (
            <span id={`${id}-type-error`} class="field-error">
              {typeIssue}
            </span>
          )}
        </div>
        <label class="check sf-required">
          <input type="checkbox" checked={f.required} onChange={(e) => set({ required: e.currentTarget.checked })} />
          Required
        </label>
      </div>
      {localized('label', 'Label')}
      {hasPlaceholder(f.type) && localized('placeholder', 'Placeholder')}
      {localized('help', 'Help text', 'Shown under the field.')}
      {hasOptions(f.type) && <Options {...props} />}
      {hasPattern(f.type) && (
        <div class="sf-row">
          <Input
            id={`${id}-pattern`}
            label="Pattern"
            value={f.pattern}
            issue={issueAt(issues, `${path}.pattern`)}
            hint="A regular expression the whole answer must match, e.g. NW-\d{4}"
            onInput={(pattern) => set({ pattern })}
          />
        </div>
      )}
      {hasPattern(f.type) && f.pattern && localized('patternError', 'Error when the pattern does not match')}
      <div class="sf-row">
        {f.type === 'checkbox' ? (
          <label class="check">
            <input type="checkbox" checked={f.default === true} onChange={(e) => set({ default: e.currentTarget.checked })} />
            Ticked at first
          </label>
        ) : hasOptions(f.type) ? (
          <div class="field">
            <label for={`${id}-default`}>Default</label>
            <select
              id={`${id}-default`}
              value={typeof f.default === 'string' ? f.default : ''}
              aria-invalid={defaultIssue ? 'true' : undefined}
              aria-describedby={defaultIssue ? `${id}-default-error` : undefined}
              onChange={(e) => set({ default: e.currentTarget.value })}
            >
              <option value="">No default</option>
              {f.options.map((o) => (
                <option key={o.uid} value={o.value}>
                  {o.label[lang] || o.value}
                </option>
              ))}
            </select>
            {defaultIssue && (
              <span id={`${id}-default-error`} class="field-error">
                {defaultIssue}
              </span>
            )}
          </div>
        ) : (
          <Input id={`${id}-default`} label="Default" value={typeof f.default === 'string' ? f.default : ''} issue={defaultIssue} onInput={(v) => set({ default: v })} />
        )}
        {hasMaxLength(f.type) && (
          <Input id={`${id}-max`} label="Longest answer (characters)" type="number" value={f.maxLength} issue={issueAt(issues, `${path}.maxLength`)} onInput={(maxLength) => set({ maxLength })} />
        )}
      </div>
      {f.type === 'hidden' && (
        <div class="sf-row">
          <Input
            id={`${id}-param`}
            label="From the URL parameter"
            value={f.sourceParam}
            issue={issueAt(issues, `${path}.source.param`)}
            hint="e.g. utm_campaign"
            onInput={(sourceParam) => set({ sourceParam })}
          />
          <div class="field">
            <label for={`${id}-page`}>Or from the page</label>
            <select id={`${id}-page`} value={f.sourcePage} onChange={(e) => set({ sourcePage: e.currentTarget.value as PageSource })}>
              <option value="">Nothing (the JS API fills it)</option>
              <option value="url">Its address</option>
              <option value="path">Its path</option>
              <option value="title">Its title</option>
              <option value="referrer">The referring page</option>
            </select>
          </div>
        </div>
      )}
    </div>
  );
}

function Options(props: { field: FieldDraft; index: number; languages: string[]; lang: string; issues: FieldIssue[]; edit: Edit }): JSX.Element {
  const { field: f, index: i, languages, lang, issues, edit } = props;
  const path = `prechat.fields[${i}].options`;
  const own = issueAt(issues, path);
  return (
    <fieldset class="sf-options">
      <legend>Options</legend>
      {own && <p class="field-error">{own}</p>}
      <ol>
        {f.options.map((o, j) => (
          <li key={o.uid} class="sf-option">
            <div class="sf-row">
              <Input
                id={`sf-${o.uid}-value`}
                label={`Value of option ${j + 1}`}
                value={o.value}
                issue={issueAt(issues, `${path}[${j}].value`)}
                onInput={(value) => edit((d) => updateOption(d, i, j, { value }))}
              />
              <button type="button" class="button" aria-label={`Remove option ${o.label[lang] || o.value}`} onClick={() => edit((d) => removeOption(d, i, j))}>
                Remove
              </button>
            </div>
            <SurveyLocalized
              id={`sf-${o.uid}-label`}
              legend={`Label of option ${j + 1}`}
              texts={o.label}
              language={lang}
              languages={languages}
              path={`${path}[${j}].label`}
              issues={issues}
              onChange={(label) => edit((d) => updateOption(d, i, j, { label }))}
            />
          </li>
        ))}
      </ol>
      <button type="button" class="button" onClick={() => edit((d) => addOption(d, i))}>
        Add an option
      </button>
    </fieldset>
  );
}
