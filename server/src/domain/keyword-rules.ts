/**
 * Keyword rules: which of a site's rules a visitor's message triggers. Pure
 * functions, no I/O. Keywords match case- and accent-insensitively, as whole
 * words or substrings; patterns are regular expressions checked at start-up by
 * {@link patternProblems} and run on at most {@link MATCH_TEXT_LIMIT} characters.
 */

/** Longest piece of a message that rules look at; keeps every pattern's work bounded. */
export const MATCH_TEXT_LIMIT = 500;
/** Longest pattern a rule may carry. */
export const PATTERN_LIMIT = 200;

export type RuleAction =
  | { type: 'reply'; text: string | Record<string, string> }
  | { type: 'label'; label: string }
  | { type: 'inquiryType'; value: string }
  | { type: 'team'; team: string }
  | { type: 'handover' };

export interface KeywordRule {
  id: string;
  priority: number;
  keywords?: string[];
  /** `any` (default): one keyword is enough; `all`: every keyword must occur. */
  mode: 'any' | 'all';
  /** Whole words (default) or anywhere inside words. */
  wholeWord: boolean;
  pattern?: string;
  /** Regular expression flags besides `u`, which is always on: any of `i`, `m`, `s`. */
  flags?: string;
  conditions: {
    inquiryTypes?: string[];
    languages?: string[];
    sites?: string[];
    /** Only while no agent has written in the conversation. */
    beforeAgentReply?: boolean;
  };
  actions: RuleAction[];
  /** Go on to lower-priority rules after this one matched. */
  continue: boolean;
}

/** What a rule is matched against. */
export interface MatchInput {
  text: string;
  siteId: string;
  inquiryType: string | null;
  language: string | null;
  agentHasReplied: boolean;
}

/** Lower case without accents or compatibility forms: "Ré-FUND" → "re-fund", "Ёлка" → "елка". */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().normalize('NFC').replace(/\s+/g, ' ');
}

// scripts written without spaces between words: whole-word matching means substring there
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Does the folded keyword occur in the folded text, as a whole word when asked? */
export function containsKeyword(foldedText: string, keyword: string, wholeWord: boolean): boolean {
  const needle = foldText(keyword).trim();
  if (needle === '') return false;
  if (!wholeWord || UNSPACED.test(needle)) return foldedText.includes(needle);
  for (let at = foldedText.indexOf(needle); at !== -1; at = foldedText.indexOf(needle, at + 1)) {
    const before = at > 0 ? [...foldedText.slice(Math.max(0, at - 2), at)].pop() : undefined;
    const after = [...foldedText.slice(at + needle.length, at + needle.length + 2)][0];
    if ((!before || !WORD_CHAR.test(before)) && (!after || !WORD_CHAR.test(after))) return true;
  }
  return false;
}

/**
 * What could make a pattern slow or invalid, one sentence per problem. Refused:
 * syntax errors, backreferences, a repeated group that itself repeats or
 * branches (`(a+)+`, `(a|ab)*`: exponential backtracking), and more than two
 * unbounded repeats (`a*b*c*`: high-degree polynomial backtracking).
 */
export function patternProblems(pattern: string, flags = ''): string[] {
  const problems: string[] = [];
  if (pattern.length > PATTERN_LIMIT) problems.push(`a pattern may have at most ${PATTERN_LIMIT} characters`);
  if (!/^[ims]*$/.test(flags) || new Set(flags).size !== flags.length) problems.push('flags may only be i, m and s, each once');
  try {
    new RegExp(pattern, `${flags.replace(/[^ims]/g, '')}u`);
  } catch (error) {
    problems.push(`not a valid regular expression: ${(error as Error).message}`);
    return problems;
  }
  if (/\\[1-9]|\\k</.test(pattern)) problems.push('backreferences are not allowed');

  // one pass over the pattern: groups, and what each one contains
  const stack: { repeats: boolean; branches: boolean }[] = [{ repeats: false, branches: false }];
  let unbounded = 0;
  let nested = false;
  const quantifierAt = (i: number): { unbounded: boolean; many: boolean; length: number } | null => {
    const c = pattern[i];
    if (c === '*' || c === '+') return { unbounded: true, many: true, length: 1 };
    if (c === '?') return { unbounded: false, many: false, length: 1 };
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!m) return null;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    return { unbounded: max === Infinity, many: max > 1, length: m[0].length };
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const top = stack[stack.length - 1] as { repeats: boolean; branches: boolean };
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // skip a character class, minding escapes
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      stack.push({ repeats: false, branches: false });
      continue;
    }
    if (c === '|') {
      top.branches = true;
      continue;
    }
    if (c === ')') {
      const group = stack.pop() ?? { repeats: false, branches: false };
      const q = quantifierAt(i + 1);
      if (q) {
        if (q.many && (group.repeats || group.branches)) nested = true;
        if (q.unbounded) unbounded++;
        i += q.length;
      }
      const outer = stack[stack.length - 1];
      if (outer && (group.repeats || q?.many)) outer.repeats = true;
      continue;
    }
    const q = quantifierAt(i);
    if (q) {
      if (q.many) top.repeats = true;
      if (q.unbounded) unbounded++;
      i += q.length - 1;
      // a lazy or possessive marker right after a quantifier
      if (pattern[i + 1] === '?') i++;
    }
  }
  if (nested) problems.push('a repeated group may not itself repeat or branch, such as (a+)+ or (a|b)*: it can take exponential time');
  if (unbounded > 2) problems.push('at most two unbounded repeats (*, + or {n,}) per pattern');
  return problems;
}

/** A rule with its pattern compiled once. */
export interface CompiledRule extends KeywordRule {
  regex: RegExp | null;
}

/** Compiles each rule's pattern; rules whose pattern fails the checks never match. */
export function compileRules(rules: readonly KeywordRule[]): CompiledRule[] {
  return [...rules]
    .map((rule, index) => ({ rule, index }))
    // higher priority first; among equals the order of the config
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule }) => {
      let regex: RegExp | null = null;
      if (rule.pattern !== undefined && patternProblems(rule.pattern, rule.flags ?? '').length === 0) {
        regex = new RegExp(rule.pattern, `${rule.flags ?? 'i'}u`);
      }
      return { ...rule, regex };
    });
}

const baseLanguage = (tag: string): string => tag.toLowerCase().split('-')[0] ?? '';

function conditionsHold(rule: KeywordRule, input: MatchInput): boolean {
  const c = rule.conditions;
  if (c.sites && c.sites.length > 0 && !c.sites.includes(input.siteId)) return false;
  if (c.inquiryTypes && c.inquiryTypes.length > 0 && (!input.inquiryType || !c.inquiryTypes.includes(input.inquiryType))) return false;
  if (c.languages && c.languages.length > 0) {
    if (!input.language) return false;
    const lang = input.language.toLowerCase();
    if (!c.languages.some((l) => l.toLowerCase() === lang || baseLanguage(l) === baseLanguage(lang))) return false;
  }
  if (c.beforeAgentReply && input.agentHasReplied) return false;
  return true;
}

/** Does one rule's keyword list or pattern match the text? */
export function ruleMatchesText(rule: CompiledRule, text: string): boolean {
  const cut = text.slice(0, MATCH_TEXT_LIMIT);
  if (rule.pattern !== undefined) {
    if (!rule.regex) return false;
    // the pattern sees the text as written and folded, so accents need not be spelled out
    rule.regex.lastIndex = 0;
    return rule.regex.test(cut) || rule.regex.test(foldText(cut));
  }
  const keywords = rule.keywords ?? [];
  if (keywords.length === 0) return false;
  const folded = foldText(cut);
  const hit = (k: string) => containsKeyword(folded, k, rule.wholeWord);
  return rule.mode === 'all' ? keywords.every(hit) : keywords.some(hit);
}

/**
 * The rules a message triggers, highest priority first: the first match, and
 * after it further matches only while each matched rule says to go on.
 */
export function matchRules(rules: readonly CompiledRule[], input: MatchInput): CompiledRule[] {
  const matched: CompiledRule[] = [];
  for (const rule of rules) {
    if (!conditionsHold(rule, input) || !ruleMatchesText(rule, input.text)) continue;
    matched.push(rule);
    if (!rule.continue) break;
  }
  return matched;
}
