import { signal } from '@preact/signals';

/** The current time, refreshed every 30 seconds so relative times stay fresh. */
export const now = signal(Date.now());

let ticking = false;
/** Starts the clock behind {@link now}; calling it again does nothing. */
export function startClock(): void {
  if (ticking || typeof window === 'undefined') return;
  ticking = true;
  window.setInterval(() => (now.value = Date.now()), 30_000);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A compact age such as "now", "5m", "3h", "Yesterday" or "Mar 4". */
export function relativeTime(iso: string, at: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((at - then) / 1000));
  if (seconds < 60) return 'now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 2 * 86_400) return 'Yesterday';
  return dayFormat.format(then);
}

/** Hours and minutes of a timestamp, in the agent's locale. */
export function clockTime(iso: string): string {
  const then = Date.parse(iso);
  return Number.isNaN(then) ? '' : timeFormat.format(then);
}

/** Date and time of a timestamp, for tooltips and the contact panel. */
export function fullTime(iso: string): string {
  const then = Date.parse(iso);
  return Number.isNaN(then) ? '' : fullFormat.format(then);
}
