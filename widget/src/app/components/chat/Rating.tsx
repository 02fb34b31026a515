import { Limits } from '../../../../../protocol/src/limits';
import type { WidgetModel } from '../../models/widget-model';

/**
 * After the conversation was closed: a score from 1 to 5 (a required radio group drawn as stars,
 * each named by its translated word; the stylesheet lights the stars up to the chosen one), an
 * optional comment, send or skip.
 */
export function Rating({ model }: { model: WidgetModel }) {
  const { ui } = model.config.value!;
  return (
    <form
      noValidate
      class="ended"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        void model.rate(Number(form.get('score')), String(form.get('comment')));
      }}
    >
      <fieldset class="stars">
        <legend>{ui.rateTitle}</legend>
        {ui.rateScores.map((name, i) => (
          <label key={i}>
            <input type="radio" name="score" value={i + 1} aria-label={name} required />
            <span aria-hidden="true">★</span>
          </label>
        ))}
      </fieldset>
      <label for="parley-rate">{ui.rateComment}</label>
      <textarea id="parley-rate" name="comment" rows={2} maxLength={Limits.ratingComment} />
      {model.formError.value && (
        <p class="error" role="alert">
          {model.formError.value}
        </p>
      )}
      <button class="primary" disabled={model.submitting.value}>
        {ui.rateSubmit}
      </button>
      <button type="button" class="link" onClick={model.skipRating}>
        {ui.rateSkip}
      </button>
    </form>
  );
}
