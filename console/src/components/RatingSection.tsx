import type { JSX } from 'preact';
import type { ConversationDetail, ConversationRating } from '../../../protocol/src/index';
import { fullTime } from '../lib/time';

const SCORE_NAMES = ['Very poor', 'Poor', 'Okay', 'Good', 'Great'] as const;

/** The score in words, which is what assistive technology reads: "4 of 5 — Good". */
export function scoreText(score: number): string {
  const name = SCORE_NAMES[score - 1];
  return name ? `${score} of 5 — ${name}` : `${score} of 5`;
}

/** Five stars, filled up to the score; decoration only, the text beside them carries the meaning. */
function Stars({ score }: { score: number }): JSX.Element {
  return (
    <span class="stars" aria-hidden="true">
      {[1, 2, 3, 4, 5].map((n) => (
        <span key={n} class={n <= score ? 'star on' : 'star'}>
          {n <= score ? '★' : '☆'}
        </span>
      ))}
    </span>
  );
}

function RatingFacts({ rating }: { rating: ConversationRating }): JSX.Element {
  return (
    <dl class="facts">
      <div class="fact">
        <dt>Score</dt>
        <dd class="rating-score">
          <Stars score={rating.score} /> {scoreText(rating.score)}
        </dd>
      </div>
      {rating.comment && (
        <div class="fact">
          <dt>Comment</dt>
          <dd class="rating-comment">{rating.comment}</dd>
        </div>
      )}
      <div class="fact">
        <dt>Rated</dt>
        <dd>
          <time dateTime={rating.ratedAt}>{fullTime(rating.ratedAt)}</time>
        </dd>
      </div>
    </dl>
  );
}

/** The visitor's rating in the contact panel; nothing while an unrated conversation is still open. */
export function RatingSection({ detail }: { detail: ConversationDetail }): JSX.Element | null {
  const { rating } = detail;
  if (!rating && detail.status !== 'closed') return null;
  return (
    <section class="panel-section" aria-labelledby="rating-heading">
      <h3 id="rating-heading">Rating</h3>
      {rating ? <RatingFacts rating={rating} /> : <p class="muted">Not rated</p>}
    </section>
  );
}
