import type { JSX } from 'preact';
import type { PublicField, PublicSiteConfig } from '../../../../protocol/src/index';
import { isHttpUrl } from '../../lib/links';

/** One survey control as the widget draws it (widget/src/app/components/survey/Field.tsx), for looking only. */
function PreviewField({ field, choose }: { field: PublicField; choose: string }): JSX.Element | null {
  const id = `pv-f-${field.key}`;
  const helpId = field.help ? `${id}-help` : undefined;
  const label = (
    <>
      {field.label}
      {field.required && (
        <span class="pv-req" aria-hidden="true">
          {' *'}
        </span>
      )}
    </>
  );
  const common = { name: field.key, required: field.required, 'aria-describedby': helpId };
  const help = field.help && (
    <p class="pv-help" id={helpId}>
      {field.help}
    </p>
  );
  if (field.type === 'hidden') return null;
  if (field.type === 'radio') {
    return (
      <fieldset class="pv-field">
        <legend>{label}</legend>
        {field.options?.map((o) => (
          <label class="pv-opt" key={o.value}>
            <input type="radio" value={o.value} defaultChecked={field.default === o.value} {...common} />
            {o.label}
          </label>
        ))}
        {help}
      </fieldset>
    );
  }
  if (field.type === 'checkbox') {
    return (
      <div class="pv-field pv-check">
        <input type="checkbox" id={id} defaultChecked={field.default === true} {...common} />
        <label for={id}>{label}</label>
        {help}
      </div>
    );
  }
  const text = typeof field.default === 'string' ? field.default : undefined;
  return (
    <div class="pv-field">
      <label for={id}>{label}</label>
      {field.type === 'select' ? (
        <select id={id} {...common} defaultValue={text ?? ''}>
          <option value="">{choose}</option>
          {field.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : field.type === 'textarea' ? (
        <textarea id={id} rows={3} placeholder={field.placeholder} defaultValue={text} {...common} />
      ) : (
        <input id={id} type={field.type === 'phone' ? 'tel' : field.type} placeholder={field.placeholder} defaultValue={text} {...common} />
      )}
      {help}
    </div>
  );
}

interface Props {
  config: PublicSiteConfig | null;
  /** The preview shows an older draft: the newer one has problems or is on its way. */
  stale: boolean;
  language: string;
  onLanguage(lang: string): void;
}

/**
 * The draft as a visitor will see it: the widget's panel with the survey and the launcher,
 * drawn from the config the server would send the widget for it. Nothing in it is sent anywhere.
 */
export function SurveyPreview({ config, stale, language, onLanguage }: Props): JSX.Element {
  const theme = config?.theme;
  const style = theme ? `--pv-primary:${theme.primary};--pv-on-primary:${theme.onPrimary}` : undefined;
  const hidden = config?.prechat.fields.filter((f) => f.type === 'hidden') ?? [];
  const consent = config?.prechat.consent;
  return (
    <aside class="survey-preview" aria-labelledby="pv-title">
      <div class="pv-bar">
        <h2 id="pv-title">Preview</h2>
        <label class="pv-lang">
          <span>Language</span>
          <select value={language} onChange={(e) => onLanguage(e.currentTarget.value)}>
            {(config?.languages ?? [language]).map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class={stale ? 'hint pv-state stale' : 'hint pv-state'} role="status">
        {!config ? 'Loading the preview…' : stale ? 'Showing the last draft without problems.' : 'As a visitor sees it now.'}
      </p>
      {config && (
        <div class={`pv-stage pv-${theme?.mode ?? 'light'} pv-${theme?.position ?? 'right'}`} style={style}>
          <div class="pv-panel" role="region" aria-label="Widget preview" dir={config.direction} lang={config.language}>
            <div class="pv-head">
              <p class="pv-title">{config.texts.title}</p>
            </div>
            <form class="pv-survey" aria-label="Survey preview" onSubmit={(e) => e.preventDefault()} noValidate>
              {config.texts.greeting && <p class="pv-greeting">{config.texts.greeting}</p>}
              {config.prechat.fields.map((f) => (
                <PreviewField key={f.key} field={f} choose={config.ui.choose} />
              ))}
              {consent && (
                <div class="pv-field pv-check">
                  <input type="checkbox" id="pv-consent" required={consent.required} />
                  <label for="pv-consent">
                    {consent.text}
                    {consent.policyUrl && isHttpUrl(consent.policyUrl) && (
                      <>
                        {' '}
                        <a href={consent.policyUrl} target="_blank" rel="noopener noreferrer">
                          {config.ui.privacyPolicy}
                        </a>
                      </>
                    )}
                  </label>
                </div>
              )}
              <button type="submit" class="pv-primary">
                {config.texts.startButton}
              </button>
            </form>
          </div>
          <div class="pv-launcher-row">
            <span class="pv-launcher" aria-hidden="true">
              <svg width="22" height="22" viewBox="0 0 24 24" focusable="false">
                <path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4V5a2 2 0 0 1 2-2zm3 6v2h10V9zm0-3v2h10V6zm0 6v2h7v-2z" />
              </svg>
              {theme?.launcher === 'text' && <span>{config.texts.launcher}</span>}
            </span>
            <span class="hint">Launcher: “{config.texts.launcher}”</span>
          </div>
        </div>
      )}
      {hidden.length > 0 && (
        <p class="hint">
          Hidden fields, filled from the page: {hidden.map((f) => (f.source?.param ? `${f.key} (?${f.source.param})` : f.source?.page ? `${f.key} (${f.source.page})` : f.key)).join(', ')}
        </p>
      )}
    </aside>
  );
}
