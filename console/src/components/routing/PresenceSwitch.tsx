import type { JSX } from 'preact';
import type { Presence } from '../../../../protocol/src/index';
import type { RoutingModel } from '../../models/routing';

const LABELS: Record<Presence, string> = { online: 'Online', away: 'Away', offline: 'Offline' };

/** The agent's presence: only online agents receive conversations. */
export function PresenceSwitch({ routing }: { routing: RoutingModel }): JSX.Element {
  const presence = routing.presence.value;
  return (
    <label class={`presence presence-${presence}`}>
      <span class="presence-dot" aria-hidden="true" />
      <span class="visually-hidden">Presence</span>
      <select
        aria-label="Presence"
        value={presence}
        disabled={routing.busy.value}
        onChange={(e) => void routing.setPresence(e.currentTarget.value as Presence)}
      >
        {(Object.keys(LABELS) as Presence[]).map((p) => (
          <option key={p} value={p}>
            {LABELS[p]}
          </option>
        ))}
      </select>
    </label>
  );
}
