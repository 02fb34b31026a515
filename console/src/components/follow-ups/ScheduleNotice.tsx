import type { JSX } from 'preact';

/** What the reply box offers when now is outside the contact's daytime. */
export interface ScheduleOffer {
  /** `It is 03:12 for Ana (Europe/Moscow), outside 08:00–21:00.` */
  notice: string;
  /** `Send at Sat 08:00 their time`, or null when no later time is known. */
  sendAtLabel: string | null;
  busy: boolean;
  /** Why the last schedule failed, or null. */
  error: string | null;
  /** Schedules the text for the suggested time; resolves true once the server has it. */
  onSchedule(text: string): Promise<boolean>;
}

/** The notice above the reply bar: the contact's local time and why now may be a bad moment. */
export function ScheduleNotice({ offer }: { offer: ScheduleOffer }): JSX.Element {
  return (
    <div class="schedule-notice">
      <p id="schedule-notice-text">{offer.notice}</p>
      {offer.error && (
        <p class="field-error" role="alert">
          {offer.error}
        </p>
      )}
    </div>
  );
}

/** The second send button: schedule for the contact's morning instead of sending now. */
export function SendAtButton({ offer, disabled, onClick }: { offer: ScheduleOffer; disabled: boolean; onClick(): void }): JSX.Element | null {
  if (!offer.sendAtLabel) return null;
  return (
    <button type="button" class="button" disabled={disabled || offer.busy} aria-busy={offer.busy} onClick={onClick}>
      {offer.sendAtLabel}
    </button>
  );
}
