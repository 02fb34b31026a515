import type { Message } from '../../../../protocol/src/index';
import type { AgentIdentity } from '../auth-service';
import type { FollowUpService } from '../follow-ups/follow-up-service';
import type { RateLimits } from '../limits/rate-limits';
import type { AgentDirectory } from '../routing/agent-directory';
import type { AssignmentService } from '../routing/assignment-service';
import type { ConversationService } from './conversation-service';

export interface AgentReplyDeps {
  conversations: ConversationService;
  routing?: { directory: AgentDirectory; assignments: AssignmentService };
  /** Writing to a closed conversation reopens it for the writer (a follow-up); an opted-out contact refuses. */
  followUps?: FollowUpService;
  limits?: RateLimits;
}

/**
 * An agent's message, from the console's socket or the REST API alike: counted against the agent's
 * limit, claiming an unassigned open conversation within the agent's capacity, reopening a closed one
 * as a follow-up, then committed (the same client id twice stores it once).
 */
export function agentReplies(deps: AgentReplyDeps): (agent: AgentIdentity, payload: unknown) => Promise<Message> {
  const capacityOf = async (agentId: string) => {
    const [summary] = deps.routing ? await deps.routing.directory.list([agentId]) : [];
    return summary ? { capacity: summary.capacity, load: summary.load } : null;
  };
  return async (agent, payload) => {
    await deps.limits?.agentMessage(agent.id);
    return deps.conversations.sendAsAgent(agent.id, agent.name, payload, (id) => {
      const claim = () => (deps.routing ? deps.routing.assignments.claimForReply(agent, id, capacityOf) : Promise.resolve(false));
      return deps.followUps ? deps.followUps.beforeAgentWrite(agent, id, claim) : claim();
    });
  };
}
