import type { KeywordRule } from '../../domain/keyword-rules';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import type { AvailabilityProbe } from './auto-reply-service';
import type { Clock } from '../clock';
import { parseJsonList } from '../json-list';
import type { ConversationRow } from '../mappers';

/** What a rule action needs: the store, the time, routing (to move teams) and the log. */
export interface RuleActionDeps {
  db: Db;
  clock: Clock;
  probe: Pick<AvailabilityProbe, 'moveToTeam'>;
  log?: Logger | undefined;
  /** The console's labels, so a rule's label joins the catalogue, the label filter and the timeline. */
  labels?: { addByRule(conversationId: string, label: string): Promise<ConversationRow | null> } | undefined;
}

/**
 * Carries out a keyword rule's action on the conversation itself (label,
 * inquiry type, team, hand-over): the row after it, or null when nothing changed.
 */
export async function applyRuleAction(
  deps: RuleActionDeps,
  conversation: ConversationRow,
  action: KeywordRule['actions'][number],
): Promise<ConversationRow | null> {
  const now = deps.clock.now().toISOString();
  let set: { labels?: string; inquiry_type?: string; team_id?: string; handover_at?: string };
  switch (action.type) {
    case 'label': {
      const labels = parseJsonList(conversation.labels);
      if (labels.includes(action.label)) return null;
      if (deps.labels) return deps.labels.addByRule(conversation.id, action.label);
      set = { labels: JSON.stringify([...labels, action.label]) };
      break;
    }
    case 'inquiryType':
      if (conversation.inquiry_type === action.value) return null;
      set = { inquiry_type: action.value };
      break;
    case 'team': {
      if (conversation.team_id === action.team) return null;
      if (!deps.probe.moveToTeam) {
        set = { team_id: action.team };
        break;
      }
      // through routing, so the new team's queue is served and the old one's places move up
      return deps.probe.moveToTeam(conversation.id, action.team, 'moved by a keyword rule');
    }
    case 'handover':
      if (conversation.handover_at) return null;
      set = { handover_at: now };
      deps.log?.info({ conversationId: conversation.id }, 'auto-reply rule asked to hand the conversation over to a person');
      break;
    default:
      return null;
  }
  const row = await deps.db
    .updateTable('conversations')
    .set({ ...set, updated_at: now })
    .where('id', '=', conversation.id)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}
