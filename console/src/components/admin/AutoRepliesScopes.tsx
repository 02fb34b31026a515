import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { AutoReplyScope, AutoReplySetting } from '../../../../protocol/src/index';
import type { AutoRepliesAdminModel } from '../../models/auto-replies';
import { fullTime } from '../../lib/time';

const label = (scope: AutoReplyScope): string =>
  scope === 'rules' ? 'Keyword rules for every site' : scope === 'schedules' ? 'Business-hours schedules' : scope === 'quick-replies' ? 'Quick replies' : `Site “${scope.slice(5)}”: welcome, away, busy, hours, profile, rules`;

/** The other auto-reply settings, one scope at a time, as JSON the server checks like the config file. */
export function AutoRepliesScopes({ settings, model }: { settings: AutoReplySetting[]; model: AutoRepliesAdminModel }): JSX.Element {
  const scope = useSignal<AutoReplyScope | null>(null);
  const draft = useSignal('');
  const parseError = useSignal<string | null>(null);
  const current = settings.find((s) => s.scope === scope.value) ?? settings[0];

  useEffect(() => {
    draft.value = current ? JSON.stringify(current.value ?? {}, null, 2) : '';
    parseError.value = null;
  }, [current]);

  if (!current) return <></>;
  const error = model.errors.value[current.scope];
  const busy = model.saving.value !== null;

  function save(): void {
    if (!current) return;
    let value: unknown;
    try {
      value = JSON.parse(draft.value);
    } catch (err) {
      parseError.value = `Not valid JSON: ${(err as Error).message}`;
      return;
    }
    parseError.value = null;
    void model.save(current.scope, value);
  }

  return (
    <section class="admin-section" aria-labelledby="scopes-title">
      <div class="admin-section-head">
        <h2 id="scopes-title">Auto-replies, hours and rules</h2>
      </div>
      <label class="field">
        <span>Setting</span>
        <select value={current.scope} onChange={(e) => (scope.value = e.currentTarget.value as AutoReplyScope)}>
          {settings.map((s) => (
            <option key={s.scope} value={s.scope}>
              {label(s.scope)}
            </option>
          ))}
        </select>
      </label>
      <p class="muted">
        {current.source === 'database'
          ? `Saved in the console${current.updatedAt ? ` on ${fullTime(current.updatedAt)}` : ''}; the config file’s version is kept for a reset.`
          : 'From the config file. Saving here overrides it.'}
      </p>
      {(parseError.value || error) && (
        <div role="alert" class="form-alert">
          <p>{parseError.value ?? (error && error.issues.length > 0 ? 'Not saved. Fix these and save again:' : error?.message)}</p>
          {!parseError.value && error && error.issues.length > 0 && (
            <ul class="issue-list">
              {error.issues.map((i) => (
                <li key={i.path}>
                  <code>{i.path}</code>: {i.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <label class="field">
        <span>JSON</span>
        <textarea class="json-editor" rows={18} spellcheck={false} value={draft.value} onInput={(e) => (draft.value = e.currentTarget.value)} />
      </label>
      <div class="admin-actions">
        <span class="spacer" />
        {current.source === 'database' && (
          <button type="button" class="button" disabled={busy} onClick={() => void model.reset(current.scope)}>
            Reset to the config file
          </button>
        )}
        <button type="button" class="button primary" disabled={busy} onClick={save}>
          Save
        </button>
      </div>
    </section>
  );
}
