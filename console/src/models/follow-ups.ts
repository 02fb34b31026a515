import { batch, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { FollowUpOptOut, FollowUpTiming, ScheduledMessage } from '../../../protocol/src/follow-ups';
import type { Transport } from '../transport';
import { newClientId } from './conversation';

/**
 * Follow-ups of the open conversation: when it is a good time to write to the contact,
 * the follow-ups scheduled for later, and the actions on them. The server decides the
 * timing and sends each follow-up; this model only asks, shows and forwards.
 */
export interface FollowUpsModel {
  /** The contact's local time and the next good time, or null before the first answer. */
  timing: ReadonlySignal<FollowUpTiming | null>;
  /** Follow-ups still waiting (scheduled, sending) or failed, by time. Sent and cancelled ones leave. */
  scheduled: ReadonlySignal<ScheduledMessage[]>;
  /** True while a schedule request is on its way. */
  busy: ReadonlySignal<boolean>;
  /** Why the last schedule request failed, or null. */
  error: ReadonlySignal<string | null>;
  /** Asks the timing and the list again (after a reconnect). */
  refresh(): void;
  /** Schedules `text` for `sendAt`; retrying the same text keeps its client id. Resolves true on success. */
  schedule(text: string, sendAt: string): Promise<boolean>;
  /** Changes a waiting follow-up; resolves with an error message or null. */
  edit(id: string, changes: { text?: string; sendAt?: string }): Promise<string | null>;
  /** Cancels a waiting follow-up; resolves with an error message or null. */
  cancel(id: string): Promise<string | null>;
  /** A live `followup:updated`: upserts by id. */
  apply(scheduled: ScheduledMessage): void;
  /** Stops the minute timer and the effect on the open conversation. */
  dispose(): void;
}

export interface FollowUpsDeps {
  transport: Pick<Transport, 'followUpTiming' | 'scheduleFollowUp' | 'listFollowUps' | 'editFollowUp' | 'cancelFollowUp'>;
  /** The open conversation (owned by the conversation model). */
  openId: ReadonlySignal<string | null>;
  /** How often the timing is asked again while a conversation is open. */
  refreshMs?: number;
}

/** Timing is asked again this often: the contact's clock moves on. */
export const TIMING_REFRESH_MS = 60_000;

const OFFLINE = 'Not sent: no connection. Try again in a moment.';

/** Whether a follow-up still belongs in the list on screen. */
function shown(s: ScheduledMessage): boolean {
  return s.status === 'scheduled' || s.status === 'sending' || s.status === 'failed';
}

/** Upserts `item` by id into `list`, drops what left the list, sorts by time. */
export function upsertScheduled(list: readonly ScheduledMessage[], item: ScheduledMessage): ScheduledMessage[] {
  const rest = list.filter((s) => s.id !== item.id);
  const next = shown(item) ? [...rest, item] : rest;
  return next.sort((a, b) => (a.sendAt < b.sendAt ? -1 : a.sendAt > b.sendAt ? 1 : a.id < b.id ? -1 : 1));
}

/** Builds the follow-ups model; it follows `openId` by itself until disposed. */
export function createFollowUpsModel(deps: FollowUpsDeps): FollowUpsModel {
  const timing = signal<FollowUpTiming | null>(null);
  const scheduled = signal<ScheduledMessage[]>([]);
  const busy = signal(false);
  const error = signal<string | null>(null);
  // the last text that failed to schedule, so a retry reuses its client id (idempotent on the server)
  let draft: { conversationId: string; text: string; clientId: string } | null = null;

  async function askTiming(id: string): Promise<void> {
    try {
      const ack = await deps.transport.followUpTiming(id);
      if (ack.ok && deps.openId.peek() === id) timing.value = ack.data.timing;
    } catch {
      // offline: asked again on reconnect and on the next tick
    }
  }

  async function list(id: string): Promise<void> {
    try {
      const ack = await deps.transport.listFollowUps(id);
      if (!ack.ok || deps.openId.peek() !== id) return;
      let next = scheduled.peek();
      for (const s of ack.data.scheduled) next = upsertScheduled(next, s);
      // whatever the server no longer lists as waiting has left
      const listed = new Set(ack.data.scheduled.map((s) => s.id));
      scheduled.value = next.filter((s) => listed.has(s.id));
    } catch {
      // offline: listed again on reconnect
    }
  }

  function refresh(): void {
    const id = deps.openId.peek();
    if (!id) return;
    void askTiming(id);
    void list(id);
  }

  const stop = effect(() => {
    const id = deps.openId.value;
    batch(() => {
      timing.value = null;
      scheduled.value = [];
      busy.value = false;
      error.value = null;
    });
    if (!id) return;
    refresh();
    const timer = setInterval(() => void askTiming(id), deps.refreshMs ?? TIMING_REFRESH_MS);
    return () => clearInterval(timer);
  });

  async function change(run: () => Promise<{ ok: true; data: { scheduled: ScheduledMessage } } | { ok: false; message: string }>): Promise<string | null> {
    try {
      const ack = await run();
      if (!ack.ok) return ack.message;
      if (ack.data.scheduled.conversationId === deps.openId.peek()) scheduled.value = upsertScheduled(scheduled.peek(), ack.data.scheduled);
      return null;
    } catch {
      return 'Not saved: no connection. Try again in a moment.';
    }
  }

  return {
    timing,
    scheduled,
    busy,
    error,
    refresh,
    async schedule(text, sendAt) {
      const conversationId = deps.openId.peek();
      const body = text.trim();
      if (!conversationId || !body || busy.peek()) return false;
      if (!draft || draft.conversationId !== conversationId || draft.text !== body) draft = { conversationId, text: body, clientId: newClientId() };
      const { clientId } = draft;
      batch(() => {
        busy.value = true;
        error.value = null;
      });
      try {
        const ack = await deps.transport.scheduleFollowUp({ conversationId, clientId, text: body, sendAt });
        if (deps.openId.peek() !== conversationId) return ack.ok;
        if (!ack.ok) {
          error.value = ack.message;
          return false;
        }
        draft = null;
        scheduled.value = upsertScheduled(scheduled.peek(), ack.data.scheduled);
        return true;
      } catch {
        if (deps.openId.peek() === conversationId) error.value = OFFLINE;
        return false;
      } finally {
        if (deps.openId.peek() === conversationId) busy.value = false;
      }
    },
    edit(id, changes) {
      return change(() => deps.transport.editFollowUp({ id, ...changes }));
    },
    cancel(id) {
      return change(() => deps.transport.cancelFollowUp(id));
    },
    apply(item) {
      if (item.conversationId !== deps.openId.peek()) return;
      scheduled.value = upsertScheduled(scheduled.peek(), item);
    },
    dispose: stop,
  };
}

/** What the reply box may do on the open conversation. */
export interface ReplyRule {
  /** Why replies are off (notes stay possible), or null. */
  disabledReason: string | null;
  /** A hint that replaces the usual one while replies are on, or null. */
  hint: string | null;
}

const dayFormat = (timeZone?: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone });
const dayTimeFormat = (timeZone?: string) =>
  new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });

/** `4 Dec 2026` in the agent's zone (or `timeZone`). */
export function dayText(iso: string, timeZone?: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? '' : dayFormat(timeZone).format(at);
}

/** `4 Dec 2026, 14:03` in the agent's zone (or `timeZone`). */
export function dayTimeText(iso: string, timeZone?: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? '' : dayTimeFormat(timeZone).format(at);
}

/**
 * Replies on a closed conversation reopen it (the server assigns it to the sender), unless the
 * contact opted out of follow-ups: then only notes are possible.
 */
export function replyRule(input: { status: 'open' | 'closed'; optedOut: FollowUpOptOut | null; name: string; timeZone?: string }): ReplyRule {
  if (input.status !== 'closed') return { disabledReason: null, hint: null };
  if (input.optedOut) {
    return {
      disabledReason: `${input.name} opted out of follow-ups on ${dayText(input.optedOut.at, input.timeZone)}; you cannot write to them after the chat has closed.`,
      hint: null,
    };
  }
  return { disabledReason: null, hint: 'This conversation is closed. Sending reopens it and assigns it to you.' };
}

const VIA: Record<FollowUpOptOut['via'], string> = {
  widget: 'from the chat widget',
  email: "from the email's unsubscribe link",
  agent: 'recorded by an agent',
};

/** `Follow-ups: opted out on 4 Dec 2026, 14:03 (from the chat widget)`, the contact panel's proof. */
export function optOutText(optedOut: FollowUpOptOut, timeZone?: string): string {
  return `Follow-ups: opted out on ${dayTimeText(optedOut.at, timeZone)} (${VIA[optedOut.via] ?? optedOut.via})`;
}

/** The composer's notice when now is outside the contact's daytime, e.g. `It is 03:12 for Ana (Europe/Moscow), outside 08:00–21:00.` */
export function outsideNotice(timing: FollowUpTiming, name: string): string {
  const range = `${timing.window.start}–${timing.window.end}`;
  const outside = timing.rule === 'hours' ? `outside business hours (${range})` : `outside ${range}`;
  if (!timing.localTime) return `It is ${outside} for ${name}.`;
  return `It is ${timing.localTime} for ${name}${timing.timeZone ? ` (${timing.timeZone})` : ''}, ${outside}.`;
}

/** The label of the schedule button, `Send at Sat 08:00 their time`, or null when there is nothing to offer. */
export function sendAtLabel(timing: FollowUpTiming): string | null {
  return timing.suggestedAt && timing.suggestedLocal ? `Send at ${timing.suggestedLocal} their time` : null;
}

function parts(at: number, timeZone: string | undefined): Record<string, string> {
  const fmt = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  return Object.fromEntries(fmt.formatToParts(at).map((p) => [p.type, p.value]));
}

/**
 * A follow-up's time for the agent: `Sat 5 Dec, 08:00 their time (06:00 yours)`; the agent's day is
 * named too when it differs. Without a known contact zone, only the agent's time.
 */
export function scheduledTimeText(iso: string, contactZone: string | null, agentZone?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const mine = parts(at, agentZone);
  const mineFull = `${mine.weekday} ${mine.day} ${mine.month}, ${mine.hour}:${mine.minute}`;
  let theirs: Record<string, string>;
  try {
    if (!contactZone) throw new RangeError('no zone');
    theirs = parts(at, contactZone);
  } catch {
    return `${mineFull} your time`;
  }
  const theirsFull = `${theirs.weekday} ${theirs.day} ${theirs.month}, ${theirs.hour}:${theirs.minute}`;
  if (theirsFull === mineFull) return `${theirsFull} their time and yours`;
  const sameDay = theirs.day === mine.day && theirs.month === mine.month;
  return `${theirsFull} their time (${sameDay ? `${mine.hour}:${mine.minute}` : mineFull} yours)`;
}

/** `YYYY-MM-DDTHH:MM` of an instant on the wall clock of `timeZone` (the agent's when absent), for a time input. */
export function toLocalInput(iso: string, timeZone?: string | null): string {
  const at = Date.parse(iso);
  const fmt = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: timeZone ?? undefined });
  const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The instant (ISO) at which the wall clock of `timeZone` shows `local` (`YYYY-MM-DDTHH:MM`); null when unreadable. */
export function fromLocalInput(local: string, timeZone?: string | null): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // guess, then correct by the zone's offset at the guess (twice, for a DST edge)
  let at = wall;
  for (let i = 0; i < 2; i++) {
    const shown = toLocalInput(new Date(at).toISOString(), timeZone);
    const [, sy, smo, sd, sh, smi] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(shown)!.map(Number) as number[];
    at += wall - Date.UTC(sy!, smo! - 1, sd!, sh!, smi!);
  }
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}
