import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { AgentSummary, ConversationSummary, Presence, TeamSummary } from '../../../protocol/src/index';
import type { AgentInput, RoutingApi } from '../routing-api';
import type { Transport } from '../transport';

/** A hand-off the open conversation's agent can do. */
export type HandOff =
  | { action: 'close' | 'reopen' | 'claim' }
  | { action: 'assign'; agentId: string }
  | { action: 'transfer'; agentId?: string; teamId?: string; note: string };

/** Teams, agents and presence, and the hand-offs of a conversation. */
export interface RoutingModel {
  agents: ReadonlySignal<AgentSummary[]>;
  teams: ReadonlySignal<TeamSummary[]>;
  /** The signed-in agent's presence as the server last said. */
  presence: ReadonlySignal<Presence>;
  /** True while a hand-off or an admin change runs. */
  busy: ReadonlySignal<boolean>;
  /** The last refusal, in words. */
  error: ReadonlySignal<string | null>;
  notice: ReadonlySignal<string | null>;
  agentName(id: string | null): string | null;
  teamName(id: string | null): string | null;
  load(): Promise<void>;
  applyAgent(agent: AgentSummary): void;
  setPresence(status: Presence): Promise<void>;
  /** Runs a hand-off of a conversation; resolves with the changed summary, or null when refused. */
  handOff(conversationId: string, handOff: HandOff): Promise<ConversationSummary | null>;
  createAgent(input: AgentInput): Promise<boolean>;
  updateAgent(id: string, input: AgentInput): Promise<boolean>;
  clearMessages(): void;
  reset(): void;
}

/** Builds the routing model over the socket (agents list, hand-offs) and REST (admin changes). */
export function createRoutingModel(deps: { transport: Transport; api: RoutingApi; me: () => string | null }): RoutingModel {
  const agents = signal<AgentSummary[]>([]);
  const teams = signal<TeamSummary[]>([]);
  const busy = signal(false);
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  const presence = computed<Presence>(() => agents.value.find((a) => a.id === deps.me())?.presence ?? 'offline');

  async function run<T>(work: () => Promise<T>): Promise<T | null> {
    busy.value = true;
    error.value = null;
    notice.value = null;
    try {
      return await work();
    } catch (err) {
      error.value = err instanceof Error ? err.message : 'Something went wrong.';
      return null;
    } finally {
      busy.value = false;
    }
  }

  const model: RoutingModel = {
    agents,
    teams,
    presence,
    busy,
    error,
    notice,
    agentName: (id) => (id ? agents.value.find((a) => a.id === id)?.name ?? null : null),
    teamName: (id) => (id ? teams.value.find((t) => t.id === id)?.name ?? id : null),
    async load() {
      try {
        const ack = await deps.transport.listAgents();
        if (ack.ok) {
          batch(() => {
            agents.value = ack.data.agents;
            teams.value = ack.data.teams;
          });
        }
      } catch {
        // the next connect loads again
      }
    },
    applyAgent(agent) {
      const known = agents.value.some((a) => a.id === agent.id);
      agents.value = known ? agents.value.map((a) => (a.id === agent.id ? agent : a)) : [...agents.value, agent];
    },
    async setPresence(status) {
      await run(async () => {
        const ack = await deps.transport.setPresence(status);
        if (!ack.ok) throw new Error(ack.message);
        const me = agents.value.find((a) => a.id === deps.me());
        if (me) model.applyAgent({ ...me, presence: ack.data.presence });
      });
    },
    async handOff(conversationId, h) {
      return run(async () => {
        const payload = { conversationId, ...('agentId' in h && h.agentId ? { agentId: h.agentId } : {}) };
        const extra = h.action === 'transfer' ? { ...(h.teamId ? { teamId: h.teamId } : {}), note: h.note } : {};
        const ack = await deps.transport.handOff(h.action, { ...payload, ...extra });
        if (!ack.ok) throw new Error(ack.message);
        return ack.data.conversation;
      });
    },
    async createAgent(input) {
      const created = await run(() => deps.api.createAgent(input));
      if (created) {
        model.applyAgent(created);
        notice.value = `${created.name} can now sign in with ${created.email}.`;
      }
      return created !== null;
    },
    async updateAgent(id, input) {
      const updated = await run(() => deps.api.updateAgent(id, input));
      if (updated) {
        model.applyAgent(updated);
        notice.value = `Saved ${updated.name}.`;
      }
      return updated !== null;
    },
    clearMessages() {
      error.value = null;
      notice.value = null;
    },
    reset() {
      batch(() => {
        agents.value = [];
        teams.value = [];
        error.value = null;
        notice.value = null;
      });
    },
  };
  return model;
}
