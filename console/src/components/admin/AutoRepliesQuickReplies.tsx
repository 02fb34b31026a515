import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { AutoReplySetting, FieldIssue } from '../../../../protocol/src/index';
import type { AutoRepliesAdminModel } from '../../models/auto-replies';

/** One quick reply as the form edits it. */
interface Row {
  shortcut: string;
  title: string;
  team: string;
  /** One text, or one per language. */
  text: string | Record<string, string>;
}

const toRows = (value: unknown): Row[] =>
  (Array.isArray(value) ? value : []).map((q: { shortcut?: string; title?: string; team?: string | null; text?: string | Record<string, string> }) => ({
    shortcut: q.shortcut ?? '',
    title: q.title ?? '',
    team: q.team ?? '',
    text: q.text ?? '',
  }));

const fromRows = (rows: Row[]) =>
  rows.map((r) => ({
    shortcut: r.shortcut.trim().replace(/^\//, ''),
    ...(r.title.trim() ? { title: r.title.trim() } : {}),
    team: r.team.trim() || null,
    text: r.text,
  }));

/** The server's issues for one row, by field: `value[2].text.de` → row 2, `text`. */
function rowIssues(issues: FieldIssue[], index: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const m = /^value\[(\d+)\](?:\.(\w+))?/.exec(issue.path);
    if (m && Number(m[1]) === index) out[m[2] ?? 'row'] ??= issue.message;
  }
  return out;
}

/** Quick replies as a form: shortcut, title, team and text per row; saved all at once. */
export function AutoRepliesQuickReplies({ setting, model }: { setting: AutoReplySetting; model: AutoRepliesAdminModel }): JSX.Element {
  const rows = useSignal<Row[]>(toRows(setting.value));
  useEffect(() => {
    rows.value = toRows(setting.value);
  }, [setting]);

  const error = model.errors.value['quick-replies'];
  const busy = model.saving.value !== null;
  const edit = (i: number, patch: Partial<Row>) => (rows.value = rows.value.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <section class="admin-section" aria-labelledby="qr-title">
      <div class="admin-section-head">
        <h2 id="qr-title">Quick replies</h2>
        <span class="tag muted">{setting.source === 'database' ? 'Saved in the console' : 'From the config file'}</span>
      </div>
      <p class="muted">Agents type / and the shortcut in the reply box. Leave the team empty to offer a reply to everyone.</p>
      {error && (
        <div role="alert" class="form-alert">
          {error.message}
        </div>
      )}
      <ol class="qr-rows">
        {rows.value.map((row, i) => {
          const problems = error ? rowIssues(error.issues, i) : {};
          const texts = typeof row.text === 'string' ? [['', row.text] as const] : Object.entries(row.text);
          return (
            <li key={i} class="qr-row">
              <div class="qr-row-fields">
                <label class="field">
                  <span>Shortcut</span>
                  <input value={row.shortcut} aria-invalid={problems.shortcut ? 'true' : undefined} onInput={(e) => edit(i, { shortcut: e.currentTarget.value })} />
                  {problems.shortcut && <span class="field-error">{problems.shortcut}</span>}
                </label>
                <label class="field">
                  <span>Title</span>
                  <input value={row.title} onInput={(e) => edit(i, { title: e.currentTarget.value })} />
                  {problems.title && <span class="field-error">{problems.title}</span>}
                </label>
                <label class="field">
                  <span>Team</span>
                  <input value={row.team} placeholder="everyone" onInput={(e) => edit(i, { team: e.currentTarget.value })} />
                  {problems.team && <span class="field-error">{problems.team}</span>}
                </label>
                <button type="button" class="button" aria-label={`Remove /${row.shortcut || 'new reply'}`} onClick={() => (rows.value = rows.value.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </div>
              {texts.map(([lang, value]) => (
                <label class="field" key={lang}>
                  <span>{lang ? `Text (${lang})` : 'Text'}</span>
                  <textarea
                    rows={2}
                    value={value}
                    aria-invalid={problems.text ? 'true' : undefined}
                    onInput={(e) => {
                      const v = e.currentTarget.value;
                      edit(i, { text: typeof row.text === 'string' ? v : { ...row.text, [lang]: v } });
                    }}
                  />
                </label>
              ))}
              {(problems.text || problems.row) && <span class="field-error">{problems.text ?? problems.row}</span>}
            </li>
          );
        })}
      </ol>
      <div class="admin-actions">
        <button type="button" class="button" onClick={() => (rows.value = [...rows.value, { shortcut: '', title: '', team: '', text: '' }])}>
          Add a quick reply
        </button>
        <span class="spacer" />
        {setting.source === 'database' && (
          <button type="button" class="button" disabled={busy} onClick={() => void model.reset('quick-replies')}>
            Reset to the config file
          </button>
        )}
        <button type="button" class="button primary" disabled={busy} onClick={() => void model.save('quick-replies', fromRows(rows.value))}>
          Save quick replies
        </button>
      </div>
    </section>
  );
}
