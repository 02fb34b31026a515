import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { ApiError, request } from '../../api';

/**
 * Admins: the contact's personal data on request. "Export data" downloads everything the store
 * holds about them as JSON; "Erase contact…" deletes them with their conversations, messages and
 * files after a typed confirmation. Both are kept in the audit log.
 */
export function PersonalDataSection({ contactId, name, onErased }: { contactId: string; name: string; onErased(): void }): JSX.Element {
  const confirming = useSignal(false);
  const busy = useSignal(false);
  const message = useSignal<string | null>(null);
  const reason = useSignal('');

  async function erase(): Promise<void> {
    busy.value = true;
    try {
      const done = await request<{ erased: { conversations: number; messages: number; files: number } }>('/api/v1', 'POST', `/contacts/${encodeURIComponent(contactId)}/erase`, {
        confirm: true,
        ...(reason.value.trim() ? { reason: reason.value.trim() } : {}),
      });
      message.value = `Erased: ${done.erased.conversations} conversations, ${done.erased.messages} messages, ${done.erased.files} files.`;
      onErased();
    } catch (e) {
      message.value = e instanceof ApiError ? e.message : 'The contact could not be erased. Try again.';
    } finally {
      busy.value = false;
    }
  }

  return (
    <section class="panel-section" aria-labelledby="personal-data-title">
      <h3 id="personal-data-title">Personal data</h3>
      <p>
        <a class="button" href={`/api/v1/contacts/${encodeURIComponent(contactId)}/export`} download={`contact-${contactId}.json`}>
          Export data
        </a>{' '}
        {!confirming.value && (
          <button type="button" class="button danger" onClick={() => (confirming.value = true)}>
            Erase contact…
          </button>
        )}
      </p>
      {confirming.value && (
        <form
          class="erase-form"
          onSubmit={(e) => {
            e.preventDefault();
            void erase();
          }}
        >
          <p>
            This deletes {name}, every conversation, message, note and file of theirs, for good. Their chat stops working in their browser.
          </p>
          <label>
            <span>Reason (kept in the audit log)</span>
            <input value={reason.value} maxLength={500} onInput={(e) => (reason.value = e.currentTarget.value)} placeholder="e.g. erasure request of 4 Dec" />
          </label>
          <p>
            <button type="submit" class="button danger" disabled={busy.value}>
              Erase for good
            </button>{' '}
            <button type="button" class="button" onClick={() => (confirming.value = false)}>
              Keep
            </button>
          </p>
        </form>
      )}
      {message.value && <p role="status">{message.value}</p>}
    </section>
  );
}
