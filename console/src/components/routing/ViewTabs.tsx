import type { JSX } from 'preact';
import type { InboxView } from '../../../../protocol/src/index';
import type { ConsoleModel } from '../../models/console';

const VIEWS: { value: InboxView; label: string }[] = [
  { value: 'mine', label: 'Mine' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'all', label: 'All' },
];

/** Mine / Unassigned / All, above the Open / Closed filter. */
export function ViewTabs({ model }: { model: ConsoleModel }): JSX.Element {
  const view = model.inbox.view.value;
  return (
    <div class="tabs" role="group" aria-label="Inbox view">
      {VIEWS.map((v) => (
        <button key={v.value} type="button" class="tab" aria-pressed={view === v.value} onClick={() => model.setView(v.value)}>
          {v.label}
        </button>
      ))}
    </div>
  );
}
