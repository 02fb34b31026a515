import type { JSX } from 'preact';
import type { InboxView } from '../../../../protocol/src/index';
import type { ConsoleModel } from '../../models/console';

const VIEWS: { value: InboxView; label: string }[] = [
  { value: 'mine', label: 'Mine' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'all', label: 'All' },
];

/** Mine / Unassigned / All with their open counts, and unread as a badge. */
export function ViewTabs({ model }: { model: ConsoleModel }): JSX.Element {
  const view = model.inbox.view.value;
  const counts = model.inbox.counts.value;
  return (
    <div class="tabs" role="group" aria-label="Inbox view">
      {VIEWS.map((v) => {
        const n = counts?.[v.value];
        return (
          <button key={v.value} type="button" class="tab" aria-pressed={view === v.value} onClick={() => model.setView(v.value)}>
            {v.label}
            {n && <span class="tab-count"> {n.open}</span>}
            {n && n.unread > 0 && (
              <span class="unread-badge">
                <span aria-hidden="true">{n.unread}</span>
                <span class="visually-hidden"> {n.unread} unread</span>
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}
