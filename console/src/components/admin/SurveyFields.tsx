import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { FieldIssue } from '../../../../protocol/src/index';
import { type FieldDraft, type SurveyDraft, addField, fieldName, issueAt, issuesUnder, moveField, removeField } from '../../models/survey-draft';
import { FieldEditor, TYPE_NAMES } from './SurveyField';

interface Props {
  draft: SurveyDraft;
  languages: string[];
  issues: FieldIssue[];
  edit(change: (d: SurveyDraft) => SurveyDraft): void;
}

/** The survey's fields in order: add, remove, move, and every setting of each. */
export function SurveyFields({ draft, languages, issues, edit }: Props): JSX.Element {
  // fields the admin opened or closed; the others are closed unless they have a problem to show
  const shown = useSignal<ReadonlyMap<string, boolean>>(new Map());
  const show = (uid: string, expanded: boolean) => (shown.value = new Map(shown.value).set(uid, expanded));
  const lang = draft.defaultLanguage;
  // a new field's key takes the focus once it is drawn
  const focus = useSignal<string | null>(null);
  useEffect(() => {
    if (!focus.value) return;
    document.getElementById(focus.value)?.focus();
    focus.value = null;
  });

  return (
    <section class="admin-section" aria-labelledby="sf-title">
      <div class="admin-section-head">
        <h2 id="sf-title">Fields</h2>
        <span class="muted">in the order the visitor sees them</span>
      </div>
      {issueAt(issues, 'prechat.fields') && <p class="field-error">{issueAt(issues, 'prechat.fields')}</p>}
      <ol class="sf-list">
        {draft.fields.map((f, i) => {
          const path = `prechat.fields[${i}]`;
          const problems = issuesUnder(issues, path);
          const expanded = shown.value.get(f.uid) ?? problems.length > 0;
          const name = fieldName(f, lang);
          return (
            <li key={f.uid} class="sf-card">
              <div role="group" aria-label={`Field ${i + 1}: ${name}`}>
                <div class="sf-head">
                  <h3 class="sf-name">
                    {i + 1}. {name}
                    <span class="sf-meta">
                      {f.key} · {TYPE_NAMES[f.type] ?? f.type}
                      {f.required ? ' · required' : ''}
                    </span>
                    {problems.length > 0 && <span class="tag sf-problems">{problems.length === 1 ? '1 problem' : `${problems.length} problems`}</span>}
                  </h3>
                  <button type="button" class="button" aria-expanded={expanded} aria-controls={`sf-${f.uid}`} aria-label={`${expanded ? 'Hide' : 'Edit'} ${name}`} onClick={() => show(f.uid, !expanded)}>
                    {expanded ? 'Hide' : 'Edit'}
                  </button>
                  <button type="button" class="button" aria-label={`Move ${name} up`} disabled={i === 0} onClick={() => edit((d) => moveField(d, i, -1))}>
                    ↑
                  </button>
                  <button type="button" class="button" aria-label={`Move ${name} down`} disabled={i === draft.fields.length - 1} onClick={() => edit((d) => moveField(d, i, 1))}>
                    ↓
                  </button>
                  <button type="button" class="button" aria-label={`Remove ${name}`} onClick={() => edit((d) => removeField(d, i))}>
                    Remove
                  </button>
                </div>
                {expanded && <FieldEditor field={f} index={i} languages={languages} lang={lang} issues={issues} edit={edit} />}
              </div>
            </li>
          );
        })}
      </ol>
      <div class="admin-actions">
        <button
          type="button"
          class="button"
          onClick={() => {
            const next = addField(draft);
            const added = next.fields[next.fields.length - 1] as FieldDraft;
            show(added.uid, true);
            focus.value = `sf-${added.uid}-key`;
            edit(() => next);
          }}
        >
          Add a field
        </button>
      </div>
    </section>
  );
}
