/**
 * The routing decision: ordered rules, the first whose every condition holds
 * names the team and priority; a default rule catches the rest. Pure: the
 * facts come in, a decision with a readable reason goes out.
 */

export type Answer = string | number | boolean;
export type PriorityName = 'low' | 'normal' | 'high' | 'urgent';

export const PRIORITY: Record<PriorityName, number> = { low: 0, normal: 1, high: 2, urgent: 3 };
const PRIORITY_LABEL = ['low', 'normal', 'high', 'urgent'];

/** Everything a rule may look at, gathered from the conversation, its contact and the survey. */
export interface RoutingFacts {
  siteId: string;
  inquiryType: string | null;
  /** From the survey, else the browser. */
  language: string | null;
  /** Two-letter code, when known. */
  country: string | null;
  email: string | null;
  /** The contact's identity was verified by the site (its HMAC): only then does a typed email count for VIP. */
  verified?: boolean;
  /** The site's user id of a verified contact. */
  externalId?: string | null;
  /** The contact had a conversation before. */
  returning: boolean;
  pageUrl: string | null;
  labels: readonly string[];
  attributes: Readonly<Record<string, Answer>>;
  answers: Readonly<Record<string, Answer>>;
}

export interface RuleConditions {
  inquiryType?: readonly string[];
  language?: readonly string[];
  country?: readonly string[];
  vip?: boolean;
  contact?: 'new' | 'returning';
  site?: readonly string[];
  pageUrl?: string;
  fields?: Readonly<Record<string, Answer | readonly string[]>>;
}

export interface RoutingRule {
  name: string;
  when: RuleConditions;
  team: string;
  priority: PriorityName;
}

export interface VipDefinition {
  attribute?: { key: string; values?: readonly string[] };
  labels?: readonly string[];
  emailDomains?: readonly string[];
}

export interface DefaultRule {
  team?: string | undefined;
  priority: PriorityName;
}

export interface RoutingDecision {
  /** The matched rule's name, or `default`. */
  rule: string;
  team: string | null;
  priority: number;
  reason: string;
}

const lower = (s: string): string => s.toLowerCase();

/**
 * Whether a URL matches a `*` pattern, whole and case-insensitively; nothing
 * but `*` is special. Linear: the first and last pieces are anchored, each one
 * between is found left to right with indexOf, so no input can make it backtrack.
 */
export function urlPatternMatches(pattern: string, url: string): boolean {
  const pieces = lower(pattern).split('*');
  const text = lower(url);
  const first = pieces[0] as string;
  if (pieces.length === 1) return text === first;
  const last = pieces[pieces.length - 1] as string;
  if (first.length + last.length > text.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  const end = text.length - last.length;
  let at = first.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue;
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** `es` matches `es` and `es-MX`; `pt-BR` matches only `pt-BR` and longer tags under it. */
export function languageMatches(wanted: string, actual: string): boolean {
  const w = lower(wanted);
  const a = lower(actual);
  return a === w || a.startsWith(`${w}-`);
}

function truthy(value: Answer | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const s = lower(value.trim());
  return s !== '' && s !== 'false' && s !== '0' && s !== 'no';
}

function answerEquals(actual: Answer | undefined, wanted: Answer): boolean {
  if (actual === undefined) return false;
  if (typeof wanted === 'string' || typeof actual === 'string') return lower(String(actual).trim()) === lower(String(wanted).trim());
  return actual === wanted;
}

/** Why a contact counts as VIP, or null when it does not. */
export function vipReason(facts: RoutingFacts, vip: VipDefinition): string | null {
  if (vip.attribute) {
    const { key, values } = vip.attribute;
    const value = facts.attributes[key] ?? facts.answers[key];
    if (values ? values.some((w) => answerEquals(value, w)) : truthy(value)) return `${key} is ${String(value)}`;
  }
  if (vip.labels) {
    const label = facts.labels.find((l) => vip.labels?.some((w) => lower(w) === lower(l)));
    if (label !== undefined) return `labelled ${label}`;
  }
  // a typed email proves nothing: an email domain makes a VIP only for a verified identity
  if (vip.emailDomains && facts.email && facts.verified) {
    const domain = lower(facts.email.split('@').pop() ?? '');
    const hit = vip.emailDomains.find((d) => domain === lower(d) || domain.endsWith(`.${lower(d)}`));
    if (hit !== undefined) return `email domain ${hit}`;
  }
  return null;
}

/**
 * Checks every condition of one rule; returns a phrase per condition when all
 * hold (an empty list for a rule without conditions), null when one fails.
 */
export function matchConditions(when: RuleConditions, facts: RoutingFacts, vip: VipDefinition): string[] | null {
  const why: string[] = [];
  if (when.inquiryType) {
    const it = facts.inquiryType;
    if (it === null || !when.inquiryType.some((w) => lower(w) === lower(it))) return null;
    why.push(`inquiry type is ${it}`);
  }
  if (when.language) {
    const lang = facts.language;
    if (lang === null || !when.language.some((w) => languageMatches(w, lang))) return null;
    why.push(`language is ${lang}`);
  }
  if (when.country) {
    const country = facts.country?.toUpperCase() ?? null;
    if (country === null || !when.country.some((w) => w.toUpperCase() === country)) return null;
    why.push(`country is ${country}`);
  }
  if (when.vip !== undefined) {
    const reason = vipReason(facts, vip);
    if ((reason !== null) !== when.vip) return null;
    why.push(reason !== null ? `VIP (${reason})` : 'not a VIP');
  }
  if (when.contact) {
    if ((when.contact === 'returning') !== facts.returning) return null;
    why.push(facts.returning ? 'returning contact' : 'new contact');
  }
  if (when.site) {
    if (!when.site.includes(facts.siteId)) return null;
    why.push(`site is ${facts.siteId}`);
  }
  if (when.pageUrl !== undefined) {
    if (facts.pageUrl === null || !urlPatternMatches(when.pageUrl, facts.pageUrl)) return null;
    why.push(`page matches ${when.pageUrl}`);
  }
  if (when.fields) {
    for (const [key, wanted] of Object.entries(when.fields)) {
      const actual = facts.answers[key];
      const ok = Array.isArray(wanted) ? wanted.some((w: string) => answerEquals(actual, w)) : answerEquals(actual, wanted as Answer);
      if (!ok) return null;
      why.push(`${key} is ${String(actual)}`);
    }
  }
  return why;
}

/** The name of a priority number, for reasons and the console. */
export function priorityName(priority: number): string {
  return PRIORITY_LABEL[priority] ?? 'normal';
}

/** Runs the rules in order; the first that matches decides, else the default rule. */
export function route(facts: RoutingFacts, rules: readonly RoutingRule[], fallback: DefaultRule, vip: VipDefinition = {}): RoutingDecision {
  for (const rule of rules) {
    const why = matchConditions(rule.when, facts, vip);
    if (why === null) continue;
    const conditions = why.length > 0 ? why.join(' and ') : 'it matches every conversation';
    return {
      rule: rule.name,
      team: rule.team,
      priority: PRIORITY[rule.priority],
      reason: `Rule "${rule.name}": ${conditions} → team ${rule.team}, ${rule.priority} priority`,
    };
  }
  const team = fallback.team ?? null;
  return {
    rule: 'default',
    team,
    priority: PRIORITY[fallback.priority],
    reason: team
      ? `No rule matched → default team ${team}, ${fallback.priority} priority`
      : 'No rule matched and no default team: waits in Unassigned',
  };
}
