import { Limits } from '../../../../../protocol/src/limits';
import type { WidgetModel } from '../../models/widget-model';

/** The stars' looks, shipped with the rating form (a chunk loaded once a chat is closed). */
const CSS =
  '.stars{display:flex;justify-content:center;border:0;margin:0;padding:0}' +
  '.stars legend{width:100%;margin-bottom:6px}' +
  '.stars label{position:relative;padding:0 4px;font-size:30px;line-height:1;color:var(--mute);border-radius:6px}' +
  // the chosen star and the ones before it
  '.stars label:has(~label :checked),.stars label:has(:checked){color:#f59e0b}' +
  '.stars input{position:absolute;inset:0;opacity:0;margin:0;cursor:pointer}' +
  '.stars label:has(:focus-visible){outline:2px solid var(--link)}';

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
      <style>{CSS}</style>
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
