import type { Cell, Table } from './csv';
import type { BusiestHoursFigures, Report } from './report-service';

/** A figure object as columns: nested objects become `parent.child` (`autoReplies.welcome`, `distribution.5`). */
function flatten(figures: object, prefix = ''): [string, Cell][] {
  const out: [string, Cell][] = [];
  for (const [key, value] of Object.entries(figures)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push(...flatten(value, `${prefix}${key}.`));
    else if (!Array.isArray(value)) out.push([`${prefix}${key}`, value as Cell]);
  }
  return out;
}

/**
 * A report as one table, the one its CSV holds: a row per group then the total (or only the
 * total when ungrouped); busiest-hours as weekdays × hours; rating-comments one row per comment.
 */
export function reportTable(report: Report<unknown>): Table {
  if (report.report === 'busiest-hours') {
    const { cells } = report.total as BusiestHoursFigures;
    return {
      columns: ['weekday', ...Array.from({ length: 24 }, (_, h) => String(h))],
      rows: cells.map((row, d) => [report.weekdays?.[d] ?? String(d), ...row]),
    };
  }
  if (report.report === 'rating-comments') {
    return {
      columns: ['conversationId', 'ratedAt', 'score', 'comment', 'agentId', 'agentName'],
      rows: (report.comments ?? []).map((c) => [c.conversationId, c.ratedAt, c.score, c.comment, c.agentId, c.agentName]),
    };
  }
  const figureColumns = flatten(report.total as object).map(([k]) => k);
  const values = (figures: object) => {
    const flat = new Map(flatten(figures));
    return figureColumns.map((c) => flat.get(c) ?? null);
  };
  if (report.groupBy === null) return { columns: figureColumns, rows: [values(report.total as object)] };
  return {
    columns: [report.groupBy, 'name', ...figureColumns],
    rows: [
      ...report.groups.map((g) => [g.key, g.label, ...values(g as object)]),
      ['total', 'Total', ...values(report.total as object)],
    ],
  };
}
