import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import type { ScheduledMessage } from '../../../../protocol/src/follow-ups';
import { Limits } from '../../../../protocol/src/limits';
import { fromLocalInput, scheduledTimeText, toLocalInput } from '../../models/follow-ups';

/** What the list may do with a waiting follow-up; each resolves with an error message or null. */
export interface ScheduledActions {
  onEdit(id: string, changes: { text?: string; sendAt?: string }): Promise<string | null>;
  onCancel(id: string): Promise<string | null>;
}

const STATUS: Record<ScheduledMessage['status'], string> = {
  scheduled: 'Waiting',
  sending: 'Sending…',
  sent: 'Sent',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/** The zone the time input edits in: the contact's when this browser knows it, else the agent's. */
function editZone(contactZone: string | null): string | null {
  if (!contactZone) return null;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: contactZone });
    return contactZone;
  } catch {
    return null;
  }
}

function ScheduledItem({ item, contactZone, actions }: { item: ScheduledMessage; contactZone: string | null; actions: ScheduledActions }): JSX.Element {
  const editing = useSignal(false);
  const text = useSignal(item.text);
  const time = useSignal('');
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const zone = editZone(contactZone);
  const waiting = item.status === 'scheduled';

  async function run(action: () => Promise<string | null>): Promise<void> {
    busy.value = true;
    error.value = await action();
    busy.value = false;
    if (!error.value) editing.value = false;
  }

  function startEdit(): void {
    text.value = item.text;
    time.value = toLocalInput(item.sendAt, zone);
    error.value = null;
    editing.value = true;
  }

  function save(): void {
    const changes: { text?: string; sendAt?: string } = {};
    const body = text.value.trim();
    if (body && body !== item.text) changes.text = body;
    const sendAt = fromLocalInput(time.value, zone);
    if (!sendAt) {
      error.value = 'Pick a date and time.';
      return;
    }
    if (Date.parse(sendAt) !== Date.parse(item.sendAt)) changes.sendAt = sendAt;
    if (!body) {
      error.value = 'A follow-up needs some text.';
      return;
    }
    if (!changes.text && !changes.sendAt) {
      editing.value = false;
      return;
    }
    void run(() => actions.onEdit(item.id, changes));
  }

  return (
    <li class={`scheduled-item ${item.status}`}>
      <p class="scheduled-meta">
        <time dateTime={item.sendAt}>{scheduledTimeText(item.sendAt, contactZone)}</time>
        <span class="scheduled-status">
          {' · '}
          {STATUS[item.status]}
          {item.status === 'failed' && item.error ? `: ${item.error}` : ''}
        </span>
        <span class="muted"> · by {item.agentName}</span>
      </p>
      {editing.value ? (
        <form
          class="scheduled-edit"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <textarea aria-label="Follow-up text" rows={2} maxLength={Limits.messageText} value={text.value} onInput={(e) => (text.value = e.currentTarget.value)} />
          <label>
            {zone ? 'Send at (their time)' : 'Send at (your time)'}
            <input type="datetime-local" required value={time.value} onInput={(e) => (time.value = e.currentTarget.value)} />
          </label>
          <button type="submit" class="button small primary" disabled={busy.value}>
            Save
          </button>
          <button type="button" class="button small" disabled={busy.value} onClick={() => (editing.value = false)}>
            Discard changes
          </button>
        </form>
      ) : (
        <>
          <p class="scheduled-text">{item.text}</p>
          {waiting && (
            <p class="scheduled-actions">
              <button type="button" class="button small" disabled={busy.value} onClick={startEdit}>
                Edit
              </button>
              <button type="button" class="button small" disabled={busy.value} onClick={() => void run(() => actions.onCancel(item.id))}>
                Cancel
              </button>
            </p>
          )}
        </>
      )}
      {error.value && (
        <p class="field-error" role="alert">
          {error.value}
        </p>
      )}
    </li>
  );
}

/** The open conversation's follow-ups waiting for their time (and failed ones), above the reply box. */
export function ScheduledList({ items, contactZone, actions }: { items: readonly ScheduledMessage[]; contactZone: string | null; actions: ScheduledActions }): JSX.Element | null {
  if (items.length === 0) return null;
  return (
    <section class="scheduled" aria-labelledby="scheduled-heading">
      <h3 id="scheduled-heading">Scheduled</h3>
      <ul>
        {items.map((item) => (
          <ScheduledItem key={item.id} item={item} contactZone={contactZone} actions={actions} />
        ))}
      </ul>
    </section>
  );
}
