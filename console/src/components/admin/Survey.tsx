import type { JSX } from 'preact';
import { useEffect, useMemo } from 'preact/hooks';
import { createSurveyEditorModel } from '../../models/survey-editor';
import { createSurveyApi } from '../../survey-api';
import type { ConsoleModel } from '../../models/console';
import { draftLanguages } from '../../models/survey-draft';
import { fullTime } from '../../lib/time';
import { siteLabel } from '../../lib/labels';
import { AdminPage } from './AdminPage';
import { SurveyFields } from './SurveyFields';
import { SurveyLooks } from './SurveyLooks';
import { SurveyPreview } from './SurveyPreview';
import { SurveyTexts } from './SurveyTexts';

/**
 * The admins' survey editor: pick a site, shape its fields, texts, languages,
 * looks and consent, watch the widget's survey change beside it, then save
 * (stored in the database, over the config file) or go back to the file.
 */
export function SurveyScreen({ model }: { model: ConsoleModel }): JSX.Element {
  const admin = model.session.agent.value?.role === 'admin';
  // the editor and its code load with this screen, not with the inbox
  const editor = useMemo(() => createSurveyEditorModel(createSurveyApi()), []);

  useEffect(() => {
    if (!admin) return;
    void editor.load();
    return () => editor.dispose();
  }, [admin]);

  const sites = editor.sites.value;
  const setting = editor.setting.value;
  const draft = editor.draft.value;
  const issues = editor.issues.value;
  const busy = editor.saving.value;
  const languages = draft ? draftLanguages(draft) : [];
  const edit = editor.edit;

  return (
    <AdminPage model={model} title="Survey" adminsOnly="Only admins can change the pre-chat survey.">
      <div class="survey-editor">
        <p class="admin-intro">
          What visitors fill in before a chat, and the widget’s texts and looks. What you save here is checked like the config file, stored in the
          database, and takes precedence over the file until you reset it. Visitors see it the next time the widget loads.
        </p>
        <div class="se-site">
          <div class="field">
            <label for="se-site">Site</label>
            <select id="se-site" value={editor.siteId.value ?? ''} disabled={sites.length === 0 || busy} onChange={(e) => void editor.choose(e.currentTarget.value)}>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {siteLabel(s)}
                </option>
              ))}
            </select>
          </div>
          {setting && (
            <span class="tag muted">
              {setting.source === 'database'
                ? `Saved in the console${setting.updatedAt ? ` on ${fullTime(setting.updatedAt)}` : ''}`
                : 'From the config file'}
            </span>
          )}
        </div>
        {editor.notice.value && (
          <p role="status" class="admin-notice">
            {editor.notice.value}
          </p>
        )}
        {editor.error.value && (
          <p role="alert" class="form-alert">
            {editor.error.value}
          </p>
        )}
        <div aria-live="polite">
          {issues.length > 0 && (
            <div class="se-issues">
              <p>{issues.length === 1 ? 'One problem stops this survey from being saved:' : `${issues.length} problems stop this survey from being saved:`}</p>
              <ul class="issue-list">
                {issues.map((i) => (
                  <li key={i.path}>
                    <code>{i.path || '(survey)'}</code>: {i.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
        {editor.loading.value && !draft && <p role="status">Loading…</p>}
        {draft && (
          <div class="se-columns">
            <div class="se-form">
              <SurveyFields draft={draft} languages={languages} issues={issues} edit={edit} />
              <SurveyTexts draft={draft} languages={languages} issues={issues} edit={edit} />
              <SurveyLooks draft={draft} languages={languages} issues={issues} warnings={editor.warnings.value} edit={edit} />
              <div class="admin-actions se-actions">
                <span class="muted">{editor.dirty.value ? 'Unsaved changes' : 'No unsaved changes'}</span>
                <span class="spacer" />
                {setting?.source === 'database' && (
                  <button type="button" class="button" disabled={busy} onClick={() => void editor.reset()}>
                    Reset to the config file
                  </button>
                )}
                <button type="button" class="button primary" disabled={busy || !editor.dirty.value} onClick={() => void editor.save()}>
                  {busy ? 'Saving…' : 'Save survey'}
                </button>
              </div>
            </div>
            <SurveyPreview
              config={editor.preview.value}
              stale={editor.previewStale.value}
              language={editor.previewLanguage.value}
              onLanguage={(lang) => editor.setPreviewLanguage(lang)}
            />
          </div>
        )}
      </div>
    </AdminPage>
  );
}
