import { ErrorCode, IdSchema, type QuickReply, localize } from '../../../../protocol/src';
import type { Config } from '../../config/schema';
import { renderTemplate } from '../../domain/templates';
import { AppError, parseOrThrow } from '../../errors';
import type { Db } from '../../store/db';
import type { AutoReplySettings } from './auto-reply-settings';
import type { Clock } from '../clock';
import { templateContext } from './template-context';

/**
 * Agents' quick replies: a shortcut and a text with variables, for everyone or
 * for one team. The console asks for them per conversation and receives each
 * text already filled in for that conversation's contact and the asking agent.
 */
export class QuickReplyService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly settings: AutoReplySettings,
    private readonly clock: Clock,
  ) {}

  /**
   * The quick replies for one conversation, filled in: everyone's first, then
   * each team's, each group by shortcut.
   */
  async forConversation(conversationId: unknown, agentName: string): Promise<QuickReply[]> {
    const id = parseOrThrow(IdSchema, conversationId, 'conversationId');
    const conversation = await this.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!conversation) throw new AppError(ErrorCode.NotFound, 'conversation not found');
    await this.settings.fresh();
    const global = this.settings.global();
    const site = this.settings.site(conversation.site_id);
    const context = await templateContext(this.db, this.config, global, site, conversation, this.clock.now(), { agentName });
    return [...global.quickReplies]
      .sort((a, b) => (a.team ?? '').localeCompare(b.team ?? '') || a.shortcut.localeCompare(b.shortcut))
      .map((q) => {
        const template = localize(q.text, context.language);
        return {
          shortcut: q.shortcut,
          title: q.title ?? null,
          teamId: q.team ?? null,
          template,
          text: renderTemplate(template, context.values),
        };
      });
  }
}
