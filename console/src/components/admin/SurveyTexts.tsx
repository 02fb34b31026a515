import type { JSX } from 'preact';
import type { FieldIssue } from '../../../../protocol/src/index';
import { type SurveyDraft, issueAt, issuesUnder } from '../../models/survey-draft';
import { SURVEY_TEXTS, type SurveyTextKey } from '../../survey-api';
import { SurveyLocalized } from './SurveyLocalized';

const TEXT_NAMES: Record<SurveyTextKey, { legend: string; multiline?: boolean }> = {
  title: { legend: 'Title' },
  greeting: { legend: 'Greeting', multiline: true },
  launcher: { legend: 'Launcher text' },
  startButton: { legend: 'Start button' },
  placeholder: { legend: 'Message box placeholder' },
  offlineTitle: { legend: 'Title while away' },
};

interface Props {
  draft: SurveyDraft;
  languages: string[];
  issues: FieldIssue[];
  edit(change: (d: SurveyDraft) => SurveyDraft): void;
}

/** The site's languages (the default and the list the widget may use) and the owner's texts in each. */
export function SurveyTexts({ draft, languages, issues, edit }: Props): JSX.Element {
  const defaultIssue = issueAt(issues, 'defaultLanguage');
  const listIssues = issuesUnder(issues, 'languages');
  return (
    <>
      <section class="admin-section" aria-labelledby="st-lang-title">
        <div class="admin-section-head">
          <h2 id="st-lang-title">Languages</h2>
        </div>
        <div class="sf-row">
          <div class="field">
            <label for="st-default-lang">Default language</label>
            <input
              id="st-default-lang"
              value={draft.defaultLanguage}
              aria-invalid={defaultIssue ? 'true' : undefined}
              aria-describedby={defaultIssue ? 'st-default-lang-error' : 'st-default-lang-hint'}
              onInput={(e) => {
                const defaultLanguage = e.currentTarget.value;
                edit((d) => ({ ...d, defaultLanguage }));
              }}
            />
            {defaultIssue ? (
              <span id="st-default-lang-error" class="field-error">
                {defaultIssue}
              </span>
            ) : (
              <span id="st-default-lang-hint" class="hint">
                Used when the visitor’s language is not offered.
              </span>
            )}
          </div>
          <div class="field st-languages">
            <label for="st-languages">Languages offered</label>
            <input
              id="st-languages"
              value={draft.languages}
              placeholder={languages.join(', ')}
              aria-invalid={listIssues.length > 0 ? 'true' : undefined}
              aria-describedby={listIssues.length > 0 ? 'st-languages-error' : 'st-languages-hint'}
              onInput={(e) => {
                const list = e.currentTarget.value;
                edit((d) => ({ ...d, languages: list }));
              }}
            />
            {listIssues.length > 0 ? (
              <span id="st-languages-error" class="field-error">
                {listIssues.map((i) => `${i.path}: ${i.message}`).join('; ')}
              </span>
            ) : (
              <span id="st-languages-hint" class="hint">
                Comma-separated tags such as en, es, zh-CN. Leave empty to offer every language the texts are written in.
              </span>
            )}
          </div>
        </div>
      </section>
      <section class="admin-section" aria-labelledby="st-texts-title">
        <div class="admin-section-head">
          <h2 id="st-texts-title">Texts</h2>
          <span class="muted">where a language is left empty, the widget shows another one’s text (English first)</span>
        </div>
        <div class="st-texts">
          {SURVEY_TEXTS.map((key) => (
            <SurveyLocalized
              key={key}
              id={`st-${key}`}
              legend={TEXT_NAMES[key].legend}
              texts={draft.texts[key]}
              language={draft.defaultLanguage}
              languages={languages}
              path={`texts.${key}`}
              issues={issues}
              multiline={TEXT_NAMES[key].multiline ?? false}
              onChange={(texts) => edit((d) => ({ ...d, texts: { ...d.texts, [key]: texts } }))}
            />
          ))}
        </div>
      </section>
    </>
  );
}
