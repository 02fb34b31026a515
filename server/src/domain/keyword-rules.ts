/**
 * Keyword rules: which of a site's rules a visitor's message triggers. Pure
 * functions, no I/O. Keywords match case- and accent-insensitively, as whole
 * words or substrings; patterns are regular expressions checked at start-up by
 * {@link patternProblems} and run once per message on at most {@link MATCH_TEXT_LIMIT}
 * characters.
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
  return containsNeedle(foldedText, needleOf(keyword, wholeWord));
}

/** A keyword folded once, as rules keep it: the text to find and whether it must be a whole word. */
export interface Needle {
  text: string;
  wholeWord: boolean;
}

/** Folds a keyword for {@link containsNeedle}; in scripts without spaces, whole words mean substrings. */
export function needleOf(keyword: string, wholeWord: boolean): Needle {
  const text = foldText(keyword).trim();
  return { text, wholeWord: wholeWord && !UNSPACED.test(text) };
}

/** Does the folded needle occur in the folded text, as a whole word when asked? */
export function containsNeedle(foldedText: string, { text: needle, wholeWord }: Needle): boolean {
  if (needle === '') return false;
  if (!wholeWord) return foldedText.includes(needle);
  for (let at = foldedText.indexOf(needle); at !== -1; at = foldedText.indexOf(needle, at + 1)) {
    const before = at > 0 ? [...foldedText.slice(Math.max(0, at - 2), at)].pop() : undefined;
    const after = [...foldedText.slice(at + needle.length, at + needle.length + 2)][0];
    if ((!before || !WORD_CHAR.test(before)) && (!after || !WORD_CHAR.test(after))) return true;
  }
  return false;
}

/** Highest count a counted repeat (`{n}`, `{n,m}`, `{n,}`) may name. */
export const COUNT_LIMIT = 10;
/** Most ways a pattern may split a text among its bounded repeats and alternatives (an unbounded repeat counts 100). */
export const CHOICE_LIMIT = 1000;
const UNBOUNDED_CHOICES = 100;

/**
 * Accents and compatibility forms removed, case kept: what patterns run on.
 * The pattern itself is folded the same way, so `café` finds "cafe" and "café".
 */
export function foldForPattern(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').normalize('NFC');
}

interface Quantifier {
  min: number;
  max: number;
  length: number;
}

function quantifierAt(pattern: string, i: number): Quantifier | null {
  const c = pattern[i];
  if (c === '*') return { min: 0, max: Infinity, length: 1 };
  if (c === '+') return { min: 1, max: Infinity, length: 1 };
  if (c === '?') return { min: 0, max: 1, length: 1 };
  const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 24));
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
  return { min, max, length: m[0].length };
}

interface Group {
  /** Some atom inside carries a quantifier. */
  quantified: boolean;
  /** First literal character of each alternative (null: not a plain literal), to spot alternations decided by one character. */
  firsts: (string | null)[];
  atBranchStart: boolean;
  /** Product of the choices inside. */
  choices: number;
}

const SYNTAX = new Set([...'\\^$.|?*+()[]{}']);

/** Alternatives whose first characters all differ leave the engine no choice to undo. */
function alternativesChoices(group: Group): number {
  const firsts = group.firsts;
  if (firsts.length < 2) return 1;
  const keys = firsts.map((f) => (f === null ? null : f.toUpperCase().toLowerCase()));
  const decided = keys.every((k) => k !== null) && new Set(keys).size === keys.length;
  return decided ? 1 : firsts.length;
}

/**
 * What could make a pattern slow or invalid, one sentence per problem. A pattern
 * runs on at most {@link MATCH_TEXT_LIMIT} characters and may contain: no
 * backreferences; no repeated group (any quantifier, `?` and `{n}` included)
 * that contains a quantifier or `|`-alternatives repeated more than once
 * (`(a+)+`, `(a?){5}`, `(a|ab)*`); counts of at most {@link COUNT_LIMIT}; at
 * most one unbounded repeat (`*`, `+`, `{n,}`); and at most
 * {@link CHOICE_LIMIT} ways to split a text among its repeats and alternatives.
 * The checks apply to the pattern as written and as compiled, accents removed.
 */
export function patternProblems(pattern: string, flags = ''): string[] {
  const problems: string[] = [];
  const folded = foldForPattern(pattern);
  if (Math.max(pattern.length, folded.length) > PATTERN_LIMIT) problems.push(`a pattern may have at most ${PATTERN_LIMIT} characters`);
  if (!/^[ims]*$/.test(flags) || new Set(flags).size !== flags.length) problems.push('flags may only be i, m and s, each once');
  for (const source of new Set([pattern, folded])) {
    try {
      new RegExp(source, `${flags.replace(/[^ims]/g, '')}u`);
    } catch (error) {
      problems.push(`not a valid regular expression${source === pattern ? '' : ' once accents are removed'}: ${(error as Error).message}`);
      return problems;
    }
  }
  if (/\\[1-9]|\\k</.test(folded)) problems.push('backreferences are not allowed');

  // the shape is checked as written and as folded: a compatibility form such as ＼ or ［ becomes
  // syntax only once folded, and a survey runs the pattern as written
  for (const source of new Set([pattern, folded])) {
    for (const problem of shapeProblems(source)) if (!problems.includes(problem)) problems.push(problem);
  }
  return problems;
}

/** The structural problems of one form of a pattern (see {@link patternProblems}). */
function shapeProblems(source: string): string[] {
  const problems: string[] = [];
  const fresh = (): Group => ({ quantified: false, firsts: [], atBranchStart: true, choices: 1 });
  const stack: Group[] = [fresh()];
  const top = () => stack[stack.length - 1] as Group;
  let unbounded = 0;
  let nested = false;
  let branching = false;
  let counts = false;
  /** Applies the quantifier at `at` (if any) to the atom just read; returns its length. */
  const quantify = (at: number, group: Group | null, into: Group): number => {
    const q = quantifierAt(source, at);
    if (!q) return 0;
    if (q.min > COUNT_LIMIT || (q.max !== Infinity && q.max > COUNT_LIMIT)) counts = true;
    if (q.max === Infinity) unbounded++;
    else into.choices *= Math.min(q.max, COUNT_LIMIT + 1) - q.min + 1;
    if (group?.quantified) nested = true;
    if (group && group.firsts.length > 1 && q.max > 1) branching = true;
    into.quantified = true;
    // a lazy marker right after a quantifier
    return q.length + (source[at + q.length] === '?' ? 1 : 0);
  };
  const startAtom = (literal: string | null, at: number) => {
    const g = top();
    if (!g.atBranchStart) return;
    g.atBranchStart = false;
    g.firsts.push(literal !== null && !quantifierAt(source, at) ? literal : null);
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '|') {
      if (top().atBranchStart) top().firsts.push(null);
      top().atBranchStart = true;
      continue;
    }
    if (c === '(') {
      startAtom(null, i);
      stack.push(fresh());
      // (?:  (?=  (?!  (?<=  (?<!  (?<name>: not quantifiers
      const head = /^\(\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(source.slice(i, i + 40));
      if (head) i += head[0].length - 1;
      continue;
    }
    if (c === ')') {
      const group = stack.length > 1 ? (stack.pop() as Group) : fresh();
      if (group.atBranchStart) group.firsts.push(null);
      const outer = top();
      outer.choices *= group.choices * alternativesChoices(group);
      i += quantify(i + 1, group, outer);
      if (group.quantified) outer.quantified = true;
      continue;
    }
    let end = i;
    let literal: string | null = null;
    if (c === '\\') {
      // \u{…}, \p{…} and \P{…} carry braces that are no count
      const braced = /^\\[upP]\{[^}]*\}/.exec(source.slice(i, i + 40));
      end = braced ? i + braced[0].length - 1 : i + 1;
    } else if (c === '[') {
      for (end = i + 1; end < source.length && source[end] !== ']'; end++) if (source[end] === '\\') end++;
    } else if (c === '^' || c === '$') {
      continue;
    } else if (!SYNTAX.has(c)) {
      const cp = source.codePointAt(i) as number;
      literal = String.fromCodePoint(cp);
      end = i + literal.length - 1;
    }
    startAtom(literal, end + 1);
    i = end + quantify(end + 1, null, top());
  }
  const root = stack[0] as Group;
  if (root.atBranchStart && root.firsts.length > 0) root.firsts.push(null);
  const choices = root.choices * alternativesChoices(root) * (unbounded > 0 ? UNBOUNDED_CHOICES : 1);
  if (nested) problems.push('a repeated group may not contain a quantifier, such as (a+)+ or (a?){5}: it can take exponential time');
  if (branching) problems.push('a repeated group may not branch, such as (a|b)*: it can take exponential time');
  if (counts) problems.push(`counted repeats may count at most to ${COUNT_LIMIT}, such as \\d{1,10}`);
  if (unbounded > 1) problems.push('at most one unbounded repeat (*, + or {n,}) per pattern');
  else if (!nested && !branching && !counts && choices > CHOICE_LIMIT) {
    problems.push(`too many ways to split a text among the repeats and alternatives (${choices > 1e9 ? 'over a billion' : choices}, at most ${CHOICE_LIMIT}; an unbounded repeat counts 100)`);
  }
  return problems;
}

/** A rule with its pattern compiled and its keywords folded once. */
export interface CompiledRule extends KeywordRule {
  regex: RegExp | null;
  needles: Needle[];
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
        regex = new RegExp(foldForPattern(rule.pattern), `${rule.flags ?? 'i'}u`);
      }
      return { ...rule, regex, needles: (rule.keywords ?? []).map((k) => needleOf(k, rule.wholeWord)) };
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

/** A message's text cut to {@link MATCH_TEXT_LIMIT} and folded once for every rule. */
export class MatchText {
  private keywordForm: string | undefined;
  private patternForm: string | undefined;
  readonly cut: string;

  constructor(text: string) {
    this.cut = text.slice(0, MATCH_TEXT_LIMIT);
  }

  /** For keywords: lower case, no accents, spaces collapsed. */
  get forKeywords(): string {
    this.keywordForm ??= foldText(this.cut);
    return this.keywordForm;
  }

  /** For patterns: no accents, case kept; cut again, as folding may lengthen it ("ﷺ" is 18 letters). */
  get forPatterns(): string {
    this.patternForm ??= foldForPattern(this.cut).slice(0, MATCH_TEXT_LIMIT);
    return this.patternForm;
  }
}

/** Does one rule's keyword list or pattern match the text? Each pattern runs once. */
export function ruleMatchesText(rule: CompiledRule, text: string | MatchText): boolean {
  const t = typeof text === 'string' ? new MatchText(text) : text;
  if (rule.pattern !== undefined) {
    if (!rule.regex) return false;
    rule.regex.lastIndex = 0;
    return rule.regex.test(t.forPatterns);
  }
  const needles = rule.needles;
  if (needles.length === 0) return false;
  const hit = (n: Needle) => containsNeedle(t.forKeywords, n);
  return rule.mode === 'all' ? needles.every(hit) : needles.some(hit);
}

/**
 * The rules a message triggers, highest priority first: the first match, and
 * after it further matches only while each matched rule says to go on.
 */
export function matchRules(rules: readonly CompiledRule[], input: MatchInput): CompiledRule[] {
  const matched: CompiledRule[] = [];
  const text = new MatchText(input.text);
  for (const rule of rules) {
    if (!conditionsHold(rule, input) || !ruleMatchesText(rule, text)) continue;
    matched.push(rule);
    if (!rule.continue) break;
  }
  return matched;
}
