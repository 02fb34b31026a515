import type { JSX } from 'preact';
import type { FieldIssue } from '../../../../protocol/src/index';
import { type SurveyDraft, issueAt } from '../../models/survey-draft';
import { SurveyLocalized } from './SurveyLocalized';

interface Props {
  draft: SurveyDraft;
  languages: string[];
  issues: FieldIssue[];
  /** Colour pairs below WCAG AA: `theme.onPrimary: …`. */
  warnings: string[];
  edit(change: (d: SurveyDraft) => SurveyDraft): void;
}

type ThemeKey = keyof SurveyDraft['theme'];

const HEX = /^#[0-9a-fA-F]{6}$/;

/** A labelled select or input of the theme, its issue and warning tied to it. */
function ThemeControl(props: { name: ThemeKey; label: string; draft: SurveyDraft; issues: FieldIssue[]; warnings: string[]; edit: Props['edit']; children?: JSX.Element[]; type?: string }): JSX.Element {
  const { name, draft } = props;
  const id = `lk-${name}`;
  const issue = issueAt(props.issues, `theme.${name}`);
  const warning = props.warnings.find((w) => w.startsWith(`theme.${name}:`))?.slice(`theme.${name}: `.length);
  const set = (value: string) => props.edit((d) => ({ ...d, theme: { ...d.theme, [name]: value } }));
  const value = draft.theme[name];
  const described = [issue ? `${id}-error` : '', warning ? `${id}-warning` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, value, 'aria-invalid': issue ? ('true' as const) : undefined, 'aria-describedby': described };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children ? (
        <select {...common} onChange={(e) => set(e.currentTarget.value)}>
          {props.children}
        </select>
      ) : props.type === 'colour' ? (
        <span class="lk-colour">
          <input
            type="color"
            value={HEX.test(value) ? value.toLowerCase() : '#000000'}
            aria-label={`Pick the ${props.label.toLowerCase()}`}
            onInput={(e) => set(e.currentTarget.value)}
          />
          <input {...common} spellcheck={false} onInput={(e) => set(e.currentTarget.value)} />
        </span>
      ) : (
        <input {...common} type={props.type ?? 'text'} onInput={(e) => set(e.currentTarget.value)} />
      )}
      {issue && (
        <span id={`${id}-error`} class="field-error">
          {issue}
        </span>
      )}
      {warning && (
        <span id={`${id}-warning`} class="lk-warning">
          {warning}
        </span>
      )}
    </div>
  );
}

/** Colours, launcher position and look, and the consent checkbox. */
export function SurveyLooks({ draft, languages, issues, warnings, edit }: Props): JSX.Element {
  const c = draft.consent;
  const common = { draft, issues, warnings, edit };
  const setConsent = (patch: Partial<SurveyDraft['consent']>) => edit((d) => ({ ...d, consent: { ...d.consent, ...patch } }));
  const urlIssue = issueAt(issues, 'prechat.consent.policyUrl');
  return (
    <>
      <section class="admin-section" aria-labelledby="lk-title">
        <div class="admin-section-head">
          <h2 id="lk-title">Looks</h2>
        </div>
        <div class="lk-grid">
          <ThemeControl name="primary" label="Primary colour" type="colour" {...common} />
          <ThemeControl name="onPrimary" label="Text colour on it" type="colour" {...common} />
          <ThemeControl name="position" label="Launcher side" {...common}>
            <option value="right">Right</option>
            <option value="left">Left</option>
          </ThemeControl>
          <ThemeControl name="offsetX" label="Distance from the side (px)" type="number" {...common} />
          <ThemeControl name="offsetY" label="Distance from the bottom (px)" type="number" {...common} />
          <ThemeControl name="launcher" label="Launcher shows" {...common}>
            <option value="icon">The chat icon</option>
            <option value="text">The icon and the launcher text</option>
          </ThemeControl>
          <ThemeControl name="mode" label="Panel" {...common}>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
            <option value="auto">As the visitor’s system</option>
          </ThemeControl>
        </div>
      </section>
      <section class="admin-section" aria-labelledby="lk-consent-title">
        <div class="admin-section-head">
          <h2 id="lk-consent-title">Consent</h2>
        </div>
        <label class="check">
          <input type="checkbox" checked={c.enabled} onChange={(e) => setConsent({ enabled: e.currentTarget.checked })} />
          Ask for consent before the chat
        </label>
        {c.enabled && (
          <>
            <label class="check">
              <input type="checkbox" checked={c.required} onChange={(e) => setConsent({ required: e.currentTarget.checked })} />
              No chat starts without it
            </label>
            <SurveyLocalized
              id="lk-consent-text"
              legend="Consent text"
              texts={c.text}
              language={draft.defaultLanguage}
              languages={languages}
              path="prechat.consent.text"
              issues={issues}
              multiline
              onChange={(text) => setConsent({ text })}
            />
            <div class="field">
              <label for="lk-policy">Privacy policy address</label>
              <input
                id="lk-policy"
                type="url"
                value={c.policyUrl}
                placeholder="https://…"
                aria-invalid={urlIssue ? 'true' : undefined}
                aria-describedby={urlIssue ? 'lk-policy-error' : undefined}
                onInput={(e) => setConsent({ policyUrl: e.currentTarget.value })}
              />
              {urlIssue && (
                <span id="lk-policy-error" class="field-error">
                  {urlIssue}
                </span>
              )}
            </div>
          </>
        )}
      </section>
    </>
  );
}
