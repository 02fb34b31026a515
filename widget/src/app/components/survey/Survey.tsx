import { Component, createRef } from 'preact';
import { initialValue, pageFacts } from '../../../overrides';
import type { WidgetModel } from '../../models/widget-model';
import type { FieldErrors, RawAnswers } from '../../models/survey';
import { errorId, Field } from './Field';

const CONSENT = 'parley-consent';
const isWebUrl = (url: string): boolean => /^https?:\/\//i.test(url);

/** The pre-chat survey: greeting, one control per field, the consent box, and the start button. */
export class Survey extends Component<{ model: WidgetModel }> {
  private form = createRef<HTMLFormElement>();
  private shownErrors: FieldErrors | undefined;
  /** Set by a submit until its errors are shown: fixing one field must not move the caret to the next. */
  private submitted = false;

  // after a refused submit (here or by the server), take the visitor to the first field to fix
  override componentDidUpdate(): void {
    const errors = this.props.model.fieldErrors.value;
    if (errors === this.shownErrors) return;
    this.shownErrors = errors;
    if (!this.submitted || Object.keys(errors).length === 0) return;
    this.submitted = false;
    this.form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private onSubmit = (e: Event): void => {
    e.preventDefault();
    this.submitted = true;
    const { model } = this.props;
    const data = new FormData(this.form.current!);
    const raw: RawAnswers = {};
    for (const f of model.fields.value) {
      if (f.type === 'checkbox') raw[f.key] = data.has(f.key);
      else if (f.type !== 'hidden') raw[f.key] = String(data.get(f.key) ?? '');
    }
    void model.submitSurvey(raw, data.has(CONSENT));
  };

  override render({ model }: { model: WidgetModel }) {
    const config = model.config.value!;
    const errors = model.fieldErrors.value;
    const consent = config.prechat.consent;
    const page = pageFacts();
    return (
      <form
        class="survey"
        ref={this.form}
        onSubmit={this.onSubmit}
        onInput={(e) => {
          const name = (e.target as HTMLInputElement).name;
          model.clearError(name === CONSENT ? 'consent' : name);
        }}
        noValidate
      >
        {config.texts.greeting && <p class="greeting">{config.texts.greeting}</p>}
        {model.fields.value.map((f) =>
          f.type === 'hidden' ? null : (
            <Field key={f.key} field={f} value={initialValue(f, model.overrides.value, page)} choose={config.ui.choose} error={errors[f.key]} />
          ),
        )}
        {consent && (
          <div class="field check">
            <input
              type="checkbox"
              id={CONSENT}
              name={CONSENT}
              required={consent.required}
              aria-invalid={errors.consent ? 'true' : undefined}
              aria-describedby={errors.consent ? errorId('consent') : undefined}
            />
            <label for={CONSENT}>
              {consent.text}
              {consent.policyUrl && isWebUrl(consent.policyUrl) && (
                <>
                  {' '}
                  <a href={consent.policyUrl} target="_blank" rel="noopener">
                    {config.ui.privacyPolicy}
                  </a>
                </>
              )}
            </label>
            {errors.consent && (
              <p class="error" id={errorId('consent')}>
                {errors.consent}
              </p>
            )}
          </div>
        )}
        {model.formError.value && (
          <p class="error" role="alert">
            {model.formError.value}
          </p>
        )}
        <button class="primary" disabled={model.submitting.value}>
          {config.texts.startButton}
        </button>
      </form>
    );
  }
}
