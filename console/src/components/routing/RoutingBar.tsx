import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import type { ConversationDetail } from '../../../../protocol/src/index';
import type { ConsoleModel } from '../../models/console';

const PRIORITY = ['Low', 'Normal', 'High', 'Urgent'];

/** Who has the open conversation, why routing sent it there, and the hand-offs: claim, close, reopen, transfer, assign. */
export function RoutingBar({ model, detail }: { model: ConsoleModel; detail: ConversationDetail }): JSX.Element {
  const { routing } = model;
  const me = model.session.agent.value;
  const transferring = useSignal(false);
  const target = useSignal('');
  const note = useSignal('');
  const info = detail.routing;
  const assignee = routing.agentName(detail.assigneeId) ?? (detail.assigneeId ? 'another agent' : null);
  const mine = detail.assigneeId !== null && detail.assigneeId === me?.id;
  const mayHandle = me?.role === 'admin' || detail.assigneeId === null || mine;
  const busy = routing.busy.value;
  const open = detail.status === 'open';

  const agents = routing.agents.value;
  /** Online members of a team, from the live agent list (the team summary's figure dates from the last load). */
  const onlineIn = (teamId: string, fallback: number): number =>
    agents.length === 0 ? fallback : agents.filter((a) => a.presence === 'online' && a.teams.includes(teamId)).length;

  async function act(h: Parameters<typeof routing.handOff>[1]): Promise<void> {
    const summary = await routing.handOff(detail.id, h);
    if (summary) {
      model.inbox.upsert(summary);
      model.conversation.applySummary(summary);
    }
  }

  async function transfer(e: Event): Promise<void> {
    e.preventDefault();
    const [kind, id] = target.value.split(':');
    if (!id) return;
    await act(kind === 'team' ? { action: 'transfer', teamId: id, note: note.value } : { action: 'transfer', agentId: id, note: note.value });
    if (!routing.error.value) {
      transferring.value = false;
      note.value = '';
      target.value = '';
    }
  }

  return (
    <section class="routing-bar" aria-label="Assignment">
      <div class="routing-facts">
        <p>
          <strong>{assignee ? `Assigned to ${mine ? 'you' : assignee}` : 'Unassigned'}</strong>
          {info?.teamId && <span> · Team {routing.teamName(info.teamId)}</span>}
          {info && <span> · {PRIORITY[info.priority] ?? 'Normal'} priority</span>}
        </p>
        {info?.reason && (
          <p class="routing-reason">
            <span class="visually-hidden">Routing reason: </span>
            {info.reason}
          </p>
        )}
      </div>
      <div class="routing-actions">
        {open && detail.assigneeId === null && (
          <button type="button" class="button primary" disabled={busy} onClick={() => void act({ action: 'claim' })}>
            Claim
          </button>
        )}
        {open && mayHandle && (
          <button
            type="button"
            class="button"
            disabled={busy}
            aria-expanded={transferring.value}
            onClick={() => {
              transferring.value = !transferring.value;
              // fresh waiting counts whenever the dialog opens; online counts follow agent:updated live
              if (transferring.value) void routing.load();
            }}
          >
            Transfer…
          </button>
        )}
        {mayHandle &&
          (open ? (
            <button type="button" class="button" disabled={busy} onClick={() => void act({ action: 'close' })}>
              Close
            </button>
          ) : (
            <button type="button" class="button" disabled={busy} onClick={() => void act({ action: 'reopen' })}>
              Reopen
            </button>
          ))}
      </div>
      {transferring.value && open && (
        <form class="transfer" onSubmit={(e) => void transfer(e)}>
          <label>
            <span>Transfer to</span>
            <select value={target.value} onChange={(e) => (target.value = e.currentTarget.value)} required>
              <option value="">Choose an agent or a team</option>
              <optgroup label="Teams">
                {routing.teams.value.map((t) => (
                  <option key={t.id} value={`team:${t.id}`}>
                    {t.name} ({onlineIn(t.id, t.online)} online, {t.waiting} waiting)
                  </option>
                ))}
              </optgroup>
              <optgroup label="Agents">
                {routing.agents.value
                  .filter((a) => a.id !== detail.assigneeId)
                  .map((a) => (
                    <option key={a.id} value={`agent:${a.id}`}>
                      {a.name} ({a.presence}, {a.load}/{a.capacity})
                    </option>
                  ))}
              </optgroup>
            </select>
          </label>
          <label>
            <span>Note for the next agent</span>
            <textarea rows={2} maxLength={500} value={note.value} onInput={(e) => (note.value = e.currentTarget.value)} />
          </label>
          <div class="transfer-bar">
            <button type="button" class="button" onClick={() => (transferring.value = false)}>
              Cancel
            </button>
            <button type="submit" class="button primary" disabled={busy || !target.value}>
              Transfer
            </button>
          </div>
        </form>
      )}
      {routing.error.value && (
        <p role="alert" class="routing-error">
          {routing.error.value}
        </p>
      )}
    </section>
  );
}
