/**
 * Who gets a conversation within a team, and in what order a queue is served.
 * Pure: the caller reads candidates from the store and commits the choice in a
 * transaction that re-checks capacity, so a stale choice is refused, not obeyed.
 */

export type AssignmentMode = 'least-busy' | 'round-robin';

export interface Candidate {
  id: string;
  online: boolean;
  /** Open conversations assigned now. */
  load: number;
  capacity: number;
  /** ISO time of the last conversation routing gave this agent; null for never. */
  lastAssignedAt: string | null;
}

export interface Choice {
  agentId: string;
  why: string;
}

/** Online and below capacity. */
export const hasRoom = (c: Candidate): boolean => c.online && c.load < c.capacity;

// never-assigned agents first, then the one who waited longest; the id keeps it total
function longestWaiting(a: Candidate, b: Candidate): number {
  const at = a.lastAssignedAt ?? '';
  const bt = b.lastAssignedAt ?? '';
  if (at !== bt) return at < bt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Picks the agent for the next conversation by the team's mode: least busy
 * with round robin among equals, or plain round robin. Null when nobody has room.
 */
export function chooseAgent(candidates: readonly Candidate[], mode: AssignmentMode): Choice | null {
  const open = candidates.filter(hasRoom);
  if (open.length === 0) return null;
  const sorted = [...open].sort(mode === 'least-busy' ? (a, b) => a.load - b.load || longestWaiting(a, b) : longestWaiting);
  const first = sorted[0] as Candidate;
  return {
    agentId: first.id,
    why: mode === 'least-busy' ? `least busy online agent (${first.load}/${first.capacity})` : 'next in round robin',
  };
}

export interface QueueEntry {
  id: string;
  priority: number;
  queuedAt: string;
}

/** Queue order: higher priority first, then earlier arrival, then id so the order is total. */
export function compareQueue(a: QueueEntry, b: QueueEntry): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.queuedAt !== b.queuedAt) return a.queuedAt < b.queuedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** True when a team has online agents and every one of them is at capacity. */
export function allAtCapacity(candidates: readonly Candidate[]): boolean {
  const online = candidates.filter((c) => c.online);
  return online.length > 0 && online.every((c) => c.load >= c.capacity);
}
