import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { type ChartReport, chartPlan } from './chart-plan';

const COLOURS = ['#2563eb', '#0f766e', '#b45309'];

/**
 * A report as a chart (uPlot, in this screen's chunk only): bars for categories, lines over days. It is
 * an image named by what it shows; the table beside it holds the same numbers for reading and for
 * screen readers.
 */
export function ReportChart({ name, title, report, groupedBy }: { name: string; title: string; report: ChartReport; groupedBy: string }): JSX.Element | null {
  const box = useRef<HTMLDivElement>(null);
  const plan = chartPlan(name, report, groupedBy);
  useEffect(() => {
    const el = box.current;
    if (!el || !plan) return;
    const width = Math.max(280, Math.min(720, el.clientWidth || 640));
    const bars = uPlot.paths.bars?.({ size: [0.6, 48] });
    const chart = new uPlot(
      {
        width,
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
        axes: [
          { values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (plan.labels[t] ?? '') : '')), stroke: '#4b5563', grid: { show: false } },
          // counts in whole steps; times and averages as they come
          { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, size: 56, ...(plan.whole ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000] } : {}) },
        ],
        series: [
          {},
          ...plan.series.map((s, i) => ({
            label: s.name,
            stroke: COLOURS[i % COLOURS.length],
            fill: plan.lines ? undefined : `${COLOURS[i % COLOURS.length]}cc`,
            width: 2,
            points: { show: plan.lines },
            ...(plan.lines || !bars ? {} : { paths: bars }),
          })),
        ],
      },
      [plan.labels.map((_l, i) => i), ...plan.series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    return () => chart.destroy();
  }, [name, groupedBy, JSON.stringify(plan)]);
  if (!plan) return null;
  return (
    <>
      <div ref={box} class="report-chart" role="img" aria-label={`Chart of ${title}: ${plan.summary}. The table has the numbers.`} data-series={plan.series.length} data-points={plan.labels.length} />
      {plan.series.length > 1 && (
        // the key of the lines' colours; the image's name and the table already say it in words
        <p class="chart-key" aria-hidden="true">
          {plan.series.map((s, i) => (
            <span key={s.name}>
              <i style={{ background: COLOURS[i % COLOURS.length] }} />
              {s.name}
            </span>
          ))}
        </p>
      )}
    </>
  );
}
