/** What a report's chart draws, from its figures: kept apart from uPlot so it is tested without a browser. */

/** One report as the screen has it: its total and its groups (by day, team, …). */
export interface ChartReport {
  total: Record<string, unknown>;
  groups: (Record<string, unknown> & { key: string | null; label: string | null })[];
}

/** What each report draws: its leading figures (a figure in a nested object is `parent.child`), and their unit. */
const SERIES: Record<string, { keys: string[]; unit: string }> = {
  conversations: { keys: ['started', 'closed', 'reopened'], unit: 'conversations' },
  'first-response': { keys: ['medianSeconds', 'p90Seconds'], unit: 'seconds' },
  resolution: { keys: ['medianSeconds', 'p90Seconds'], unit: 'seconds' },
  messages: { keys: ['visitor', 'agent', 'bot'], unit: 'messages' },
  satisfaction: { keys: ['average'], unit: 'average score' },
  queue: { keys: ['queued', 'waited', 'missed'], unit: 'conversations' },
  agents: { keys: ['handled'], unit: 'conversations' },
};

const figure = (figures: Record<string, unknown>, key: string): number | null => {
  const value = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), figures);
  return typeof value === 'number' ? value : null;
};
const words = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

export interface Plan {
  /** Category names along x (groups, days, or the scores 1–5). */
  labels: string[];
  series: { name: string; values: (number | null)[] }[];
  /** Lines over days; bars for categories. */
  lines: boolean;
  summary: string;
  /** The figures are counts. */
  whole: boolean;
}

/** What to draw for a report, or null when there is nothing to draw (no figures, an empty period). */
export function chartPlan(name: string, report: ChartReport, groupedBy: string): Plan | null {
  const spec = SERIES[name];
  if (!spec) return null;
  if (report.groups.length > 0) {
    const labels = report.groups.map((g) => g.label ?? g.key ?? 'None');
    const lines = groupedBy === 'day';
    // categories: the first figure alone (bars of different units side by side mislead); days: each figure as a line
    const keys = lines ? spec.keys : spec.keys.slice(0, 1);
    const series = keys.map((k) => ({ name: words(k), values: report.groups.map((g) => figure(g, k)) }));
    if (series.every((s) => s.values.every((v) => !v))) return null;
    return { labels, series, lines, whole: spec.unit !== 'seconds' && spec.unit !== 'average score', summary: `${series.map((s) => s.name).join(', ')} (${spec.unit}) by ${words(groupedBy)}` };
  }
  if (name === 'satisfaction') {
    const values = ['1', '2', '3', '4', '5'].map((score) => figure(report.total, `distribution.${score}`));
    if (values.every((v) => !v)) return null;
    return { labels: ['1', '2', '3', '4', '5'], series: [{ name: 'ratings', values }], lines: false, whole: true, summary: 'ratings by score, 1 to 5' };
  }
  const values = spec.keys.map((k) => figure(report.total, k));
  if (values.every((v) => !v)) return null;
  return { labels: spec.keys.map(words), series: [{ name: spec.unit, values }], lines: false, whole: spec.unit !== 'seconds' && spec.unit !== 'average score', summary: `${spec.keys.map(words).join(', ')} (${spec.unit})` };
}

