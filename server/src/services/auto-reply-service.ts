import { type Message, localize } from '../../../protocol/src/index';
import type { KeywordRuleConfig, SiteAutoReplies } from '../config/auto-replies';
import type { Config } from '../config/schema';
import { availability, isoDate, wallClock } from '../domain/business-hours';
import { type CompiledRule, type KeywordRule, compileRules, matchRules } from '../domain/keyword-rules';
import { renderTemplate } from '../domain/templates';
import type { Logger } from '../logger';
import type { Db } from '../store/db';
import type { AutoReplySettings } from './auto-reply-settings';
import type { Clock } from './clock';
import type { ConversationListener, ConversationService } from './conversation-service';
import type { ConversationRow } from './mappers';
import { scheduleFor, templateContext } from './template-context';

/**
 * What auto-replies need to know about agents. Routing (teams, presence,
 * capacity, queue) owns these facts and replaces the default, which app.ts
 * builds from the agent sockets connected right now.
 */
export interface AvailabilityProbe {
  /** Agents online who could answer this site's conversations of this team (null: any team). */
  onlineAgents(siteId: string, teamId: string | null): Promise<number>;
  /** True when agents are online but none has room for another conversation. */
  allAtCapacity(siteId: string, teamId: string | null): Promise<boolean>;
  /** Place of the conversation in its queue (1 = next), or null when not queued. */
  queuePosition(conversationId: string): Promise<number | null>;
}

/** An agent who wrote within this many minutes is evidently there: no away message then. */
const AGENT_PRESENT_MS = 60 * 60_000;
const HOUR_MS = 60 * 60_000;

/**
 * Sends the bot's messages: the welcome when a conversation starts, the away
 * or busy message and keyword rules' replies on a visitor's message. Every
 * message has a deterministic client id, so a retry never doubles it; at most
 * `maxPerHour` per conversation; never in answer to an agent or to the bot.
 */
export class AutoReplyService implements ConversationListener {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly compiled = new WeakMap<object, WeakMap<object, CompiledRule[]>>();

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly settings: AutoReplySettings,
    private readonly conversations: ConversationService,
    private readonly probe: AvailabilityProbe,
    private readonly clock: Clock,
    private readonly log?: Logger,
  ) {}

  /** One conversation's auto-replies run one at a time on this node, so the hourly cap holds. */
  private serial(conversationId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.queues.set(conversationId, tail);
    void tail.then(() => {
      if (this.queues.get(conversationId) === tail) this.queues.delete(conversationId);
    });
    return next;
  }

  async conversationStarted(conversation: ConversationRow): Promise<void> {
    await this.serial(conversation.id, () => this.welcome(conversation));
  }

  async messageStored(message: Message, conversation: ConversationRow): Promise<void> {
    if (message.authorType !== 'visitor') return;
    await this.serial(conversation.id, () => this.answer(message, conversation));
  }

  private async welcome(conversation: ConversationRow): Promise<void> {
    await this.settings.fresh();
    const site = this.settings.site(conversation.site_id);
    if (!site.welcome) return;
    if (site.welcome.when === 'firstConversation') {
      const earlier = await this.db
        .selectFrom('conversations')
        .select('id')
        .where('contact_id', '=', conversation.contact_id)
        .where('id', '!=', conversation.id)
        .where('created_at', '<=', conversation.created_at)
        .limit(1)
        .execute();
      if (earlier.length > 0) return;
    }
    await this.send(conversation, site, `auto:welcome:${conversation.id}`, site.welcome.text);
  }

  private async answer(message: Message, start: ConversationRow): Promise<void> {
    await this.settings.fresh();
    const site = this.settings.site(start.site_id);
    // read again: an earlier rule may have set the team or inquiry type
    const conversation = (await this.db.selectFrom('conversations').selectAll().where('id', '=', start.id).executeTakeFirst()) ?? start;
    const now = this.clock.now();
    const agentWrote = await this.db
      .selectFrom('messages')
      .select('created_at')
      .where('conversation_id', '=', conversation.id)
      .where('author_type', '=', 'agent')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();

    await this.awayOrBusy(conversation, site, now, agentWrote ? Date.parse(agentWrote.created_at) : null);

    const rules = this.rulesFor(this.settings.global().rules, site.rules);
    const contact = await this.db.selectFrom('contacts').select('language').where('id', '=', conversation.contact_id).executeTakeFirst();
    const matched = matchRules(rules, {
      text: message.text,
      siteId: conversation.site_id,
      inquiryType: conversation.inquiry_type,
      language: contact?.language ?? null,
      agentHasReplied: agentWrote !== undefined,
    });
    let changed = false;
    for (const rule of matched) {
      for (const action of rule.actions) {
        if (action.type === 'reply') await this.send(conversation, site, `auto:rule:${rule.id}:${message.id}`, action.text);
        else changed = (await this.apply(conversation.id, action)) || changed;
      }
    }
    if (changed) await this.conversations.announce(conversation.id);
  }

  private async awayOrBusy(conversation: ConversationRow, site: SiteAutoReplies, now: Date, agentWroteAt: number | null): Promise<void> {
    if (agentWroteAt !== null && now.getTime() - agentWroteAt < AGENT_PRESENT_MS) return;
    const teamId = conversation.team_id ?? null;
    const schedule = scheduleFor(this.config, this.settings.global(), site, teamId);
    const state = availability(schedule, now);
    if (site.away) {
      let period: string | null = null;
      if (!state.open) period = state.nextOpen ? `until-${state.nextOpen.toISOString().replace(/[-:]|\.\d+/g, '')}` : 'closed';
      else if (site.away.whenNoAgentOnline && (await this.probe.onlineAgents(conversation.site_id, teamId)) === 0) {
        // within hours but nobody there: once per conversation per local day
        period = `offline-${isoDate(wallClock(now, schedule?.timeZone ?? 'UTC').date)}`;
      }
      if (period) {
        await this.send(conversation, site, `auto:away:${conversation.id}:${period}`, site.away.text);
        return;
      }
    }
    if (site.busy && agentWroteAt === null && state.open && (await this.probe.allAtCapacity(conversation.site_id, teamId))) {
      const position = await this.probe.queuePosition(conversation.id);
      await this.send(conversation, site, `auto:busy:${conversation.id}`, site.busy.text, { queuePosition: position });
    }
  }

  /** Rules of every site plus the site's own, compiled once per version of each list. */
  private rulesFor(global: KeywordRuleConfig[], own: KeywordRuleConfig[]): CompiledRule[] {
    let bySite = this.compiled.get(global);
    if (!bySite) {
      bySite = new WeakMap();
      this.compiled.set(global, bySite);
    }
    let rules = bySite.get(own);
    if (!rules) {
      rules = compileRules([...global, ...own] as KeywordRule[]);
      bySite.set(own, rules);
    }
    return rules;
  }

  /** A rule's action on the conversation itself; true when something changed. */
  private async apply(conversationId: string, action: KeywordRule['actions'][number]): Promise<boolean> {
    const row = await this.db
      .selectFrom('conversations')
      .select(['labels', 'inquiry_type', 'team_id', 'handover_at'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (!row) return false;
    const now = this.clock.now().toISOString();
    const update = (set: Record<string, string>) =>
      this.db.updateTable('conversations').set({ ...set, updated_at: now }).where('id', '=', conversationId).execute();
    switch (action.type) {
      case 'label': {
        const labels = parseLabels(row.labels);
        if (labels.includes(action.label)) return false;
        await update({ labels: JSON.stringify([...labels, action.label]) });
        return true;
      }
      case 'inquiryType':
        if (row.inquiry_type === action.value) return false;
        await update({ inquiry_type: action.value });
        return true;
      case 'team':
        if (row.team_id === action.team) return false;
        await update({ team_id: action.team });
        return true;
      case 'handover':
        if (row.handover_at) return false;
        await update({ handover_at: now });
        this.log?.info({ conversationId }, 'auto-reply rule asked to hand the conversation over to a person');
        return true;
      default:
        return false;
    }
  }

  /** Sends one bot message unless the conversation had its hourly share already. */
  private async send(
    conversation: ConversationRow,
    site: SiteAutoReplies,
    clientId: string,
    template: string | Record<string, string>,
    extra: { queuePosition?: number | null } = {},
  ): Promise<void> {
    const now = this.clock.now();
    const exists = await this.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversation.id)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (exists) return;
    const recent = await this.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('conversation_id', '=', conversation.id)
      .where('author_type', '=', 'bot')
      .where('client_id', 'like', 'auto:%')
      .where('created_at', '>', new Date(now.getTime() - HOUR_MS).toISOString())
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= site.maxPerHour) {
      this.log?.debug({ conversationId: conversation.id, clientId }, 'auto-reply skipped: hourly limit reached');
      return;
    }
    const context = await templateContext(this.db, this.config, this.settings.global(), site, conversation, now, extra);
    const text = renderTemplate(localize(template, context.language), context.values).trim();
    if (text === '') return;
    await this.conversations.append(conversation.id, clientId, text.slice(0, 4000), { type: 'bot', name: site.botName });
  }
}

/** The labels stored on a conversation (a JSON array of strings). */
export function parseLabels(raw: string | null | undefined): string[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((l): l is string => typeof l === 'string') : [];
  } catch {
    return [];
  }
}
