import type { TimelineEvent } from '../../../../protocol/src/index';

/** One sentence for a timeline event, as the conversation's system line shows it. */
export function eventText(e: TimelineEvent): string {
  const by = e.actorName ? ` by ${e.actorName}` : '';
  const who = e.agentName ?? 'an agent';
  switch (e.kind) {
    case 'assigned':
      return e.actorName && e.actorName !== e.agentName ? `Assigned to ${who}${by}` : `Assigned to ${who}`;
    case 'claimed':
      return `${e.agentName ?? e.actorName ?? 'An agent'} took the conversation`;
    case 'unassigned':
      return `Back in the queue${e.note ? `: ${e.note}` : ''}`;
    case 'queued':
    case 'routed':
      return `Routed${e.teamId ? ` to the ${e.teamId} team` : ''}${e.note ? `: ${e.note}` : ''}`;
    case 'moved':
    case 'fallback':
      return `Moved${e.teamId ? ` to the ${e.teamId} team` : ''}${e.note ? `: ${e.note}` : ''}`;
    case 'transferred':
      return `Transferred to ${e.agentName ?? e.teamId ?? 'another team'}${by}${e.note ? `: “${e.note}”` : ''}`;
    case 'closed':
      return `Closed${by}`;
    case 'reopened':
      // the server reopens a closed conversation when an agent writes to it
      return e.note === 'follow-up' ? `Reopened by a follow-up from ${e.actorName ?? 'an agent'}` : `Reopened${by}`;
    case 'labelled':
      return `Label “${e.note ?? ''}” added${e.actorName ? by : ' by a rule'}`;
    case 'unlabelled':
      return `Label “${e.note ?? ''}” removed${by}`;
    case 'rated':
      return `Rated ${e.note ?? ''}`.trim();
    default:
      return `${e.kind.charAt(0).toUpperCase()}${e.kind.slice(1).replace(/[_-]+/g, ' ')}${by}`;
  }
}
