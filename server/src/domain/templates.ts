/**
 * Message templates: `Hi {{contact.name | "there"}}!`. Pure functions, no I/O.
 * Values are plain text spliced in once; the result is message text, which
 * every client renders as text, so HTML in a value stays visible characters.
 */

/** Every variable a template may use. Anything else is a config error at start-up. */
export const TEMPLATE_VARIABLES = [
  'contact.name',
  'contact.email',
  'contact.phone',
  'conversation.id',
  'conversation.order_id',
  'conversation.inquiry_type',
  'team.name',
  'agent.name',
  'business.name',
  'business.address',
  'business.email',
  'business.phone',
  'business.website',
  'business.hours',
  'business.next_open',
  'business.reply_time',
  'queue.position',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** Values to fill in; a missing, null or blank value uses the placeholder's fallback. */
export type TemplateValues = Partial<Record<TemplateVariable, string | number | null | undefined>>;

/** One piece of a parsed template. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: string; fallback: string | null; source: string };

// {{ name }} or {{ name | "fallback" }}; fallback quotes may be " or '
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(?:\|\s*(?:"([^"]*)"|'([^']*)')\s*)?\}\}/g;

/** Splits a template into text and placeholders. Malformed `{{…}}` stays text (see {@link templateProblems}). */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    if (at > last) parts.push({ kind: 'text', text: template.slice(last, at) });
    parts.push({ kind: 'variable', name: m[1] as string, fallback: m[2] ?? m[3] ?? null, source: m[0] });
    last = at + m[0].length;
  }
  if (last < template.length) parts.push({ kind: 'text', text: template.slice(last) });
  return parts;
}

const known = new Set<string>(TEMPLATE_VARIABLES);

/** True when `name` is a variable templates may use. */
export function isTemplateVariable(name: string): name is TemplateVariable {
  return known.has(name);
}

/**
 * What is wrong with a template, one sentence per problem: unknown variables
 * and `{{` that never became a placeholder (a typo such as `{{contact.name}`).
 */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const part of parseTemplate(template)) {
    if (part.kind === 'variable' && !isTemplateVariable(part.name)) {
      problems.push(`unknown variable {{${part.name}}}; known: ${TEMPLATE_VARIABLES.join(', ')}`);
    }
    if (part.kind === 'text' && part.text.includes('{{')) {
      problems.push(`malformed placeholder near "${part.text.slice(part.text.indexOf('{{'), part.text.indexOf('{{') + 30)}"`);
    }
  }
  return problems;
}

/**
 * Fills a template in one pass: a value that itself contains `{{…}}` is not
 * expanded again. Unknown variables (only possible in unchecked input) and
 * empty values without a fallback become the empty string.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  let out = '';
  for (const part of parseTemplate(template)) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const raw = isTemplateVariable(part.name) ? values[part.name] : undefined;
    const value = raw === null || raw === undefined ? '' : String(raw).trim();
    out += value !== '' ? value : (part.fallback ?? '');
  }
  return out;
}
