import { type Message, localize } from '../../../../protocol/src';
import type { KeywordRuleConfig, SiteAutoReplies } from '../../config/auto-replies';
import type { Config } from '../../config/schema';
import { isoDate, wallClock } from '../../domain/business-hours';
import { type CompiledRule, type KeywordRule, compileRules, matchRules } from '../../domain/keyword-rules';
import { renderTemplate } from '../../domain/templates';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import type { AutoReplySettings } from './auto-reply-settings';
import type { Clock } from '../clock';
import type { ConversationListener, ConversationService } from '../conversations/conversation-service';
import { type RuleActionDeps, applyRuleAction } from './auto-reply-actions';
import type { ConversationRow } from '../mappers';
import { availabilityAt, scheduleFor, templateContext } from './template-context';

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
  /** Both of the first two in one look, when the probe can; otherwise they are asked one by one, and only when needed. */
  agents?(siteId: string, teamId: string | null): Promise<{ online: number; allAtCapacity: boolean }>;
  /** Moves a conversation into a team's queue the way routing does (positions, events, serving the queue). */
  moveToTeam?(conversationId: string, teamId: string, note?: string): Promise<ConversationRow | null>;
}

/** An agent who wrote within this many minutes is evidently there: no away message then. */
const AGENT_PRESENT_MS = 60 * 60_000;
const HOUR_MS = 60 * 60_000;
/** How many sent client ids and changed conversations this node remembers. */
const MEMORY = 20_000;

/** A site's rules in force: those whose `sites` condition lets them apply to it. */
interface SiteRules {
  rules: CompiledRule[];
  /** Some rule has a language condition: the contact's language must be read. */
  needsLanguage: boolean;
}

/** Adds a key to an insertion-ordered map, forgetting the oldest beyond {@link MEMORY}. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MEMORY) map.delete(map.keys().next().value as string);
}

/**
 * Sends the bot's messages: the welcome when a conversation starts, the away
 * or busy message and keyword rules' replies on a visitor's message. Every
 * message has a deterministic client id, so a retry never doubles it; at most
 * `maxPerHour` per conversation; never in answer to an agent or to the bot.
 */
export class AutoReplyService implements ConversationListener {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly compiled = new WeakMap<object, WeakMap<object, Map<string, SiteRules>>>();
  /** Client ids of auto-replies known to be stored: never sent again, so no need to ask the store. */
  private readonly sent = new Map<string, true>();
  /** Conversations a rule changed, with their `last_seq` then: a row from before that is stale. */
  private readonly changedAt = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly settings: AutoReplySettings,
    private readonly conversations: ConversationService,
    private readonly probe: AvailabilityProbe,
    private readonly clock: Clock,
    private readonly log?: Logger,
    private readonly labels?: RuleActionDeps['labels'],
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

  private async answer(message: Message, given: ConversationRow): Promise<void> {
    await this.settings.fresh();
    const site = this.settings.site(given.site_id);
    const { rules, needsLanguage } = this.rulesFor(this.settings.global().rules, site.rules, given.site_id);
    // the hot path of every visitor message: nothing could answer, so read nothing
    if (!site.away && !site.busy && rules.length === 0) return;
    let conversation = await this.current(given);
    const now = this.clock.now();
    let agentWrote: Promise<number | null> | undefined;
    const lastAgentWrite = () => (agentWrote ??= this.lastAgentWrite(given.id));

    await this.awayOrBusy(conversation, site, now, lastAgentWrite);
    if (rules.length === 0) return;

    const language = needsLanguage
      ? ((await this.db.selectFrom('contacts').select('language').where('id', '=', conversation.contact_id).executeTakeFirst())?.language ?? null)
      : null;
    const input = { text: message.text, siteId: conversation.site_id, inquiryType: conversation.inquiry_type, language, agentHasReplied: false };
    let matched = matchRules(rules, input);
    // whether an agent answered matters only when a rule asking it matched; without it fewer rules could only match fewer
    if (matched.some((r) => r.conditions.beforeAgentReply) && (await lastAgentWrite()) !== null) {
      matched = matchRules(rules, { ...input, agentHasReplied: true });
    }
    let changed = false;
    for (const rule of matched) {
      for (const action of rule.actions) {
        if (action.type === 'reply') {
          await this.send(conversation, site, `auto:rule:${rule.id}:${message.id}`, action.text);
          continue;
        }
        const next = await this.apply(conversation, action);
        if (next) {
          conversation = next;
          changed = true;
        }
      }
    }
    if (changed) await this.conversations.announce(conversation);
  }

  /** The listener's row, unless a rule here changed the conversation after it was read. */
  private async current(given: ConversationRow): Promise<ConversationRow> {
    const changedAt = this.changedAt.get(given.id);
    if (changedAt === undefined) return given;
    if (Number(given.last_seq) > changedAt) {
      this.changedAt.delete(given.id);
      return given;
    }
    return (await this.db.selectFrom('conversations').selectAll().where('id', '=', given.id).executeTakeFirst()) ?? given;
  }

  /** When an agent last wrote in the conversation (ms), or null. */
  private async lastAgentWrite(conversationId: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('messages')
      .select('created_at')
      .where('conversation_id', '=', conversationId)
      .where('author_type', '=', 'agent')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? Date.parse(row.created_at) : null;
  }

  /** Online agents and capacity, asked at most once per message and only when needed. */
  private agentsOf(siteId: string, teamId: string | null) {
    const probe = this.probe;
    let both: Promise<{ online: number; allAtCapacity: boolean }> | undefined;
    let online: Promise<number> | undefined;
    const combined = probe.agents ? () => (both ??= (probe.agents as NonNullable<typeof probe.agents>)(siteId, teamId)) : null;
    return {
      online: () => (combined ? combined().then((a) => a.online) : (online ??= probe.onlineAgents(siteId, teamId))),
      allAtCapacity: async () => {
        if (combined) return (await combined()).allAtCapacity;
        // nobody online is never "all at capacity"
        if (online && (await online) === 0) return false;
        return probe.allAtCapacity(siteId, teamId);
      },
    };
  }

  private async awayOrBusy(conversation: ConversationRow, site: SiteAutoReplies, now: Date, lastAgentWrite: () => Promise<number | null>): Promise<void> {
    if (!site.away && !site.busy) return;
    const teamId = conversation.team_id ?? null;
    const schedule = scheduleFor(this.config, this.settings.global(), site, teamId);
    const state = availabilityAt(schedule, now);
    const agents = this.agentsOf(conversation.site_id, teamId);
    const agentPresent = async () => {
      const at = await lastAgentWrite();
      return at !== null && now.getTime() - at < AGENT_PRESENT_MS;
    };
    if (site.away) {
      let period: string | null = null;
      if (!state.open) period = state.nextOpen ? `until-${state.nextOpen.toISOString().replace(/[-:]|\.\d+/g, '')}` : 'closed';
      else if (site.away.whenNoAgentOnline) {
        // within hours but nobody there: once per conversation per local day
        const offline = `offline-${isoDate(wallClock(now, schedule?.timeZone ?? 'UTC').date)}`;
        if (!this.sent.has(`auto:away:${conversation.id}:${offline}`) && (await agents.online()) === 0) period = offline;
      }
      if (period) {
        const clientId = `auto:away:${conversation.id}:${period}`;
        if (!this.sent.has(clientId) && !(await agentPresent())) await this.send(conversation, site, clientId, site.away.text);
        return;
      }
    }
    // busy: only for a visitor still waiting in a queue; an assigned conversation has its agent
    const busyId = `auto:busy:${conversation.id}`;
    if (!site.busy || !state.open || conversation.assignee_id !== null || this.sent.has(busyId)) return;
    if (!(await agents.allAtCapacity()) || (await lastAgentWrite()) !== null) return;
    const position = await this.probe.queuePosition(conversation.id);
    if (position === null) return;
    await this.send(conversation, site, busyId, site.busy.text, { queuePosition: position });
  }

  /** Rules of every site plus the site's own that may apply to it, compiled once per version of each list. */
  private rulesFor(global: KeywordRuleConfig[], own: KeywordRuleConfig[], siteId: string): SiteRules {
    let byOwn = this.compiled.get(global);
    if (!byOwn) {
      byOwn = new WeakMap();
      this.compiled.set(global, byOwn);
    }
    let bySite = byOwn.get(own);
    if (!bySite) {
      bySite = new Map();
      byOwn.set(own, bySite);
    }
    let entry = bySite.get(siteId);
    if (!entry) {
      const rules = compileRules([...global, ...own] as KeywordRule[]).filter((r) => !r.conditions.sites?.length || r.conditions.sites.includes(siteId));
      entry = { rules, needsLanguage: rules.some((r) => (r.conditions.languages?.length ?? 0) > 0) };
      bySite.set(siteId, entry);
    }
    return entry;
  }

  /** A rule's action on the conversation itself; the row after it, or null when nothing changed. */
  private async apply(conversation: ConversationRow, action: KeywordRule['actions'][number]): Promise<ConversationRow | null> {
    const row = await applyRuleAction({ db: this.db, clock: this.clock, probe: this.probe, log: this.log, labels: this.labels }, conversation, action);
    // later messages of this conversation must see the change, not the row they were stored with
    if (row) remember(this.changedAt, row.id, Number(row.last_seq));
    return row;
  }

  /** Sends one bot message unless it went out before or the conversation had its hourly share already. */
  private async send(
    conversation: ConversationRow,
    site: SiteAutoReplies,
    clientId: string,
    template: string | Record<string, string>,
    extra: { queuePosition?: number | null } = {},
  ): Promise<void> {
    if (this.sent.has(clientId)) return;
    const now = this.clock.now();
    const exists = await this.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversation.id)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (exists) {
      remember(this.sent, clientId, true);
      return;
    }
    const recent = await this.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('conversation_id', '=', conversation.id)
      .where('author_type', '=', 'bot')
      .where('created_at', '>', new Date(now.getTime() - HOUR_MS).toISOString())
      .where('client_id', 'like', 'auto:%')
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= site.maxPerHour) {
      this.log?.debug({ conversationId: conversation.id, clientId }, 'auto-reply skipped: hourly limit reached');
      return;
    }
    const context = await templateContext(this.db, this.config, this.settings.global(), site, conversation, now, extra);
    const text = renderTemplate(localize(template, context.language), context.values).trim();
    if (text === '') return;
    await this.conversations.append(conversation.id, clientId, text.slice(0, 4000), { type: 'bot', name: site.botName });
    remember(this.sent, clientId, true);
  }
}
