import type { JSX } from 'preact';
import type { ConsoleModel } from '../../models/console';
import type { InboxFilter } from '../../models/inbox';
import { ViewTabs } from '../routing/ViewTabs';

const STATUSES: { value: InboxFilter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];

/** Views with their counts, the team and label pickers, and the status tabs. */
export function InboxFilters({ model }: { model: ConsoleModel }): JSX.Element {
  const { inbox, routing } = model;
  const filter = inbox.filter.value;
  const teams = routing.teams.value;
  const counts = inbox.counts.value;
  const labels = inbox.labels.value;
  const label = inbox.label.value;
  return (
    <>
      <ViewTabs model={model} />
      <div class="pickers">
        <label class="picker">
          <span>Team</span>
          <select value={inbox.teamId.value ?? ''} onChange={(e) => model.setTeam(e.currentTarget.value || null)}>
            <option value="">All teams</option>
            {teams.map((t) => {
              const n = counts?.teams[t.id];
              return (
                <option key={t.id} value={t.id}>
                  {t.name}
                  {n ? ` (${n.open}${n.unread ? `, ${n.unread} unread` : ''})` : ''}
                </option>
              );
            })}
          </select>
        </label>
        <label class="picker">
          <span>Label</span>
          <select value={label ?? ''} onChange={(e) => model.setLabel(e.currentTarget.value || null)}>
            <option value="">All labels</option>
            {label && !labels.some((l) => l.name === label) && <option value={label}>{label}</option>}
            {labels.map((l) => (
              <option key={l.name} value={l.name}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="tabs" role="group" aria-label="Status">
        {STATUSES.map((f) => (
          <button key={f.value} type="button" class="tab" aria-pressed={filter === f.value} title={f.value === 'pending' ? 'Open and waiting on the visitor' : undefined} onClick={() => model.setFilter(f.value)}>
            {f.label}
          </button>
        ))}
      </div>
    </>
  );
}
