import type { BusinessProfile, SiteAvailability, SurveyAnswer } from '../../../../protocol/src';
import { localize } from '../../../../protocol/src';
import type { GlobalAutoReplies, SiteAutoReplies } from '../../config/auto-replies';
import type { Config } from '../../config/schema';
import { type Schedule, availability, describeSchedule, formatOpening } from '../../domain/business-hours';
import type { TemplateValues } from '../../domain/templates';
import type { Db } from '../../store/db';
import type { ConversationRow } from '../mappers';

/**
 * Which schedule applies: the team's (routing names it by `businessHours`),
 * else the site's, else none (always open).
 */
export function scheduleFor(config: Config, global: GlobalAutoReplies, site: SiteAutoReplies, teamId: string | null): Schedule | null {
  const teamSchedule = teamId ? config.routing?.teams?.[teamId]?.businessHours : undefined;
  if (teamSchedule && global.schedules[teamSchedule]) return global.schedules[teamSchedule] as Schedule;
  if (typeof site.hours === 'string') return (global.schedules[site.hours] as Schedule | undefined) ?? null;
  return (site.hours as Schedule | undefined) ?? null;
}

const availabilityCache = new WeakMap<Schedule, { minute: number; state: ReturnType<typeof availability> }>();

/**
 * `availability(schedule, now)`, worked out once per schedule per minute:
 * ranges and exceptions start and end on the minute, so the answer holds for it.
 */
export function availabilityAt(schedule: Schedule | null, now: Date): ReturnType<typeof availability> {
  if (!schedule) return availability(null, now);
  const minute = Math.floor(now.getTime() / 60_000);
  const cached = availabilityCache.get(schedule);
  if (cached?.minute === minute) return cached.state;
  const state = availability(schedule, now);
  availabilityCache.set(schedule, { minute, state });
  return state;
}

/** The widget's view of a site now: open or away, reply time, and the profile. */
export function publicAvailability(
  siteName: string,
  site: SiteAutoReplies,
  schedule: Schedule | null,
  lang: string,
  now: Date,
): { availability: SiteAvailability; business: BusinessProfile } {
  const state = availabilityAt(schedule, now);
  const p = site.profile;
  return {
    availability: { open: state.open, replyTime: localize(site.replyTime, lang), nextOpen: state.nextOpen?.toISOString() ?? null },
    business: {
      name: p.name ?? siteName,
      address: p.address ?? null,
      email: p.email ?? null,
      phone: p.phone ?? null,
      website: p.website ?? null,
      hours: schedule ? describeSchedule(schedule, lang) : '',
      timeZone: schedule?.timeZone ?? null,
    },
  };
}

/** Everything a template may mention about one conversation. */
export interface TemplateContext {
  values: TemplateValues;
  /** The contact's language, else the site's default: picks the text of a localized template. */
  language: string;
}

/**
 * Gathers the values of a conversation's templates: its contact, survey, team,
 * the business and when it opens next. `agentName` fills `{{agent.name}}`.
 */
export async function templateContext(
  db: Db,
  config: Config,
  global: GlobalAutoReplies,
  site: SiteAutoReplies,
  conversation: ConversationRow,
  now: Date,
  extra: { agentName?: string | null; queuePosition?: number | null } = {},
): Promise<TemplateContext> {
  const siteConfig = config.sites[conversation.site_id];
  const contact = await db
    .selectFrom('contacts')
    .select(['name', 'email', 'phone', 'language'])
    .where('id', '=', conversation.contact_id)
    .executeTakeFirst();
  const language = contact?.language ?? siteConfig?.defaultLanguage ?? 'en';
  const teamId = conversation.team_id ?? null;
  const team = teamId ? await db.selectFrom('teams').select('name').where('id', '=', teamId).executeTakeFirst().catch(() => undefined) : undefined;
  const schedule = scheduleFor(config, global, site, teamId);
  const { availability: state, business } = publicAvailability(siteConfig?.name ?? conversation.site_id, site, schedule, language, now);
  let answers: SurveyAnswer[] = [];
  try {
    answers = JSON.parse(conversation.answers) as SurveyAnswer[];
  } catch {
    // a malformed survey record leaves the order id empty
  }
  const orderId = answers.find((a) => a.key === 'orderId')?.value;
  return {
    language,
    values: {
      'contact.name': contact?.name,
      'contact.email': contact?.email,
      'contact.phone': contact?.phone,
      'conversation.id': conversation.id,
      'conversation.order_id': orderId === undefined ? null : String(orderId),
      'conversation.inquiry_type': conversation.inquiry_type,
      'team.name': team?.name ?? config.routing?.teams?.[teamId ?? '']?.name ?? null,
      'agent.name': extra.agentName ?? null,
      'business.name': business.name,
      'business.address': business.address,
      'business.email': business.email,
      'business.phone': business.phone,
      'business.website': business.website,
      'business.hours': business.hours,
      'business.next_open': state.nextOpen && schedule ? formatOpening(new Date(state.nextOpen), language, schedule.timeZone, now) : null,
      'business.reply_time': state.replyTime,
      'queue.position': extra.queuePosition ?? null,
    },
  };
}
