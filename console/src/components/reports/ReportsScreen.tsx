import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { ApiError, request } from '../../api';
import type { ConsoleModel } from '../../models/console';
import { AdminPage } from '../admin/AdminPage';
import { ReportChart } from './ReportChart';

/** The reports shown, in order, with their titles (docs/REPORTS.md says what each figure means). */
const REPORTS: { name: string; title: string; groupable: boolean }[] = [
  { name: 'conversations', title: 'Conversations', groupable: true },
  { name: 'first-response', title: 'First response', groupable: true },
  { name: 'resolution', title: 'Resolution', groupable: true },
  { name: 'messages', title: 'Messages', groupable: true },
  { name: 'satisfaction', title: 'Satisfaction', groupable: true },
  { name: 'queue', title: 'Queue', groupable: true },
  { name: 'busiest-hours', title: 'Busiest hours', groupable: false },
  { name: 'agents', title: 'Per agent', groupable: false },
];
const PERIODS = [
  { id: 'today', label: 'Today' },
  { id: 'yesterday', label: 'Yesterday' },
  { id: '7', label: 'Last 7 days' },
  { id: '30', label: 'Last 30 days' },
  { id: 'custom', label: 'Custom' },
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Figures = Record<string, unknown>;
interface Report {
  total: Figures;
  groups: (Figures & { key: string | null; label: string | null })[];
}

const day = (d: Date): string => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
function period(id: string, from: string, to: string): { from: string; to: string } {
  const now = new Date();
  const back = (n: number) => day(new Date(now.getFullYear(), now.getMonth(), now.getDate() - n));
  if (id === 'today') return { from: back(0), to: back(0) };
  if (id === 'yesterday') return { from: back(1), to: back(1) };
  if (id === 'custom') return { from, to };
  return { from: back(Number(id) - 1), to: back(0) };
}

/** `{ a: 1, b: { c: 2 } }` as rows `a`, `b c`; arrays and the heatmap's cells are left out. */
function flatten(figures: Figures, prefix = ''): [string, string][] {
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(figures)) {
    if (key === 'key' || key === 'label' || key === 'cells' || key === 'comments' || Array.isArray(value)) continue;
    const name = prefix ? `${prefix} ${key}` : key;
    if (value && typeof value === 'object') rows.push(...flatten(value as Figures, name));
    else rows.push([name, value === null || value === undefined ? '—' : String(value)]);
  }
  return rows;
}
const words = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** Reports for a period in the site's time zone: every agent (their own figures), admins for everyone. */
export function ReportsScreen({ model }: { model: ConsoleModel }): JSX.Element {
  const preset = useSignal('7');
  const from = useSignal(period('7', '', '').from);
  const to = useSignal(period('7', '', '').to);
  const groupBy = useSignal('');
  const team = useSignal('');
  const reports = useSignal<Record<string, Report> | null>(null);
  const error = useSignal<string | null>(null);
  const loading = useSignal(false);
  const range = period(preset.value, from.value, to.value);
  const query = new URLSearchParams({ from: range.from, to: range.to, ...(team.value ? { team: team.value } : {}) });

  useEffect(() => {
    let current = true;
    loading.value = true;
    error.value = null;
    void Promise.all(
      REPORTS.map(async (r) => {
        const q = new URLSearchParams(query);
        if (r.groupable && groupBy.value) q.set('groupBy', groupBy.value);
        return [r.name, await request<Report>('/api/v1', 'GET', `/reports/${r.name}?${q}`)] as const;
      }),
    )
      .then((all) => current && (reports.value = Object.fromEntries(all)))
      .catch((e: unknown) => {
        if (!current) return;
        const issue = e instanceof ApiError ? e.issues[0] : undefined;
        error.value = issue ? `${issue.path}: ${issue.message}` : e instanceof Error ? e.message : 'The reports could not be loaded.';
        reports.value = null;
      })
      .finally(() => current && (loading.value = false));
    return () => {
      current = false;
    };
  }, [range.from, range.to, groupBy.value, team.value]);

  const teams = model.routing.teams.value;
  return (
    <AdminPage model={model} title="Reports">
      <form class="report-filters" aria-label="Report filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Period
          <select aria-label="Period" value={preset.value} onChange={(e) => (preset.value = e.currentTarget.value)}>
            {PERIODS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        {preset.value === 'custom' && (
          <>
            <label>
              From
              <input aria-label="From" type="date" value={from.value} onChange={(e) => (from.value = e.currentTarget.value)} />
            </label>
            <label>
              To
              <input aria-label="To" type="date" value={to.value} onChange={(e) => (to.value = e.currentTarget.value)} />
            </label>
          </>
        )}
        <label>
          Team
          <select aria-label="Team" value={team.value} onChange={(e) => (team.value = e.currentTarget.value)}>
            <option value="">All teams</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Group by
          <select aria-label="Group by" value={groupBy.value} onChange={(e) => (groupBy.value = e.currentTarget.value)}>
            <option value="">Nothing</option>
            <option value="day">Day</option>
            <option value="team">Team</option>
            <option value="inquiryType">Inquiry type</option>
            <option value="language">Language</option>
            <option value="agent">Agent</option>
          </select>
        </label>
      </form>
      <p class="muted">
        {range.from} to {range.to}, in the site's time zone.
      </p>
      {error.value && (
        <p class="form-alert" role="alert">
          {error.value}
        </p>
      )}
      {loading.value && <p role="status">Loading reports…</p>}
      {reports.value &&
        REPORTS.map((r) => {
          const report = reports.value?.[r.name];
          if (!report) return null;
          const q = new URLSearchParams(query);
          if (r.groupable && groupBy.value) q.set('groupBy', groupBy.value);
          return (
            <section key={r.name} class="report" aria-labelledby={`report-${r.name}`}>
              <h2 id={`report-${r.name}`}>{r.title}</h2>
              {r.name === 'busiest-hours' ? (
                <Heatmap report={report} />
              ) : (
                <>
                  <ReportChart name={r.name} title={r.title} report={report} groupedBy={r.groupable ? groupBy.value : ''} />
                  <Figures title={r.title} report={report} />
                </>
              )}
              <p>
                <a class="button small" href={`/api/v1/reports/${r.name}.csv?${q}`} download={`${r.name}-${range.from}-${range.to}.csv`}>
                  Download CSV<span class="visually-hidden"> of {r.title}</span>
                </a>
              </p>
            </section>
          );
        })}
    </AdminPage>
  );
}

/** The total, or one row per group, with a column per figure. */
function Figures({ title, report }: { title: string; report: Report }): JSX.Element {
  if (report.groups.length === 0) {
    const rows = flatten(report.total);
    return (
      <table class="admin-table report-table">
        <caption class="visually-hidden">{title}</caption>
        <tbody>
          {rows.map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{words(name)}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  const columns = flatten(report.groups[0] as Figures).map(([name]) => name);
  return (
    <table class="admin-table report-table">
      <caption class="visually-hidden">{title}</caption>
      <thead>
        <tr>
          <th scope="col">Group</th>
          {columns.map((c) => (
            <th key={c} scope="col">
              {words(c)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {report.groups.map((g) => {
          const values = Object.fromEntries(flatten(g));
          return (
            <tr key={String(g.key)}>
              <th scope="row">
                <bdi>{g.label ?? g.key ?? 'None'}</bdi>
              </th>
              {columns.map((c) => (
                <td key={c}>{values[c] ?? '—'}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Conversations started per weekday and hour: a table whose cells are shaded by their count. */
function Heatmap({ report }: { report: Report }): JSX.Element {
  const cells = ((report.total as { cells?: number[][] }).cells ?? []) as number[][];
  const max = Math.max(1, ...cells.flat());
  return (
    <table class="admin-table heatmap">
      <caption class="visually-hidden">Conversations started by weekday and hour</caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          {Array.from({ length: 24 }, (_, h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {cells.map((row, d) => (
          <tr key={d}>
            <th scope="row">{WEEKDAYS[d]}</th>
            {row.map((n, h) => (
              <td key={h} style={{ background: n ? `rgba(37, 99, 235, ${(0.15 + (0.85 * n) / max).toFixed(2)})` : undefined, color: n / max > 0.5 ? '#fff' : undefined }}>
                {n}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
