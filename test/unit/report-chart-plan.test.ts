import { describe, expect, it } from 'vitest';
import { chartPlan } from '../../console/src/components/reports/chart-plan';

/** What each report's chart draws: bars of one figure per group, lines over days, the ratings' spread; nothing for an empty period. */
const group = (key: string, figures: Record<string, unknown>) => ({ key, label: key.toUpperCase(), ...figures });

describe('the reports’ charts', () => {
  it('draws one figure as bars per group, and every figure as lines over days', () => {
    const byTeam = chartPlan('conversations', { total: {}, groups: [group('billing', { started: 4, closed: 2 }), group('shipping', { started: 1, closed: 1 })] }, 'team');
    expect(byTeam).toEqual({ labels: ['BILLING', 'SHIPPING'], series: [{ name: 'started', values: [4, 1] }], lines: false, whole: true, summary: 'started (conversations) by team' });
    const byDay = chartPlan('first-response', { total: {}, groups: [group('2026-12-01', { medianSeconds: 60, p90Seconds: 300 }), group('2026-12-02', { medianSeconds: null, p90Seconds: null })] }, 'day');
    expect(byDay).toMatchObject({ lines: true, whole: false, series: [{ name: 'median seconds', values: [60, null] }, { name: 'p90 seconds', values: [300, null] }] });
  });

  it('shows the ratings’ spread over the scores, and the leading counts of a total', () => {
    expect(chartPlan('satisfaction', { total: { count: 3, average: 4, distribution: { 1: 0, 2: 0, 3: 1, 4: 1, 5: 1 } }, groups: [] }, '')).toMatchObject({ labels: ['1', '2', '3', '4', '5'], series: [{ values: [0, 0, 1, 1, 1] }] });
    expect(chartPlan('messages', { total: { visitor: 5, agent: 3, bot: 2, autoReplies: { welcome: 1 } }, groups: [] }, '')).toMatchObject({ labels: ['visitor', 'agent', 'bot'], series: [{ values: [5, 3, 2] }] });
  });

  it('draws nothing for an empty period, a report without figures to chart, or figures that are not numbers', () => {
    expect(chartPlan('conversations', { total: { started: 0, closed: 0, reopened: 0 }, groups: [] }, '')).toBeNull();
    expect(chartPlan('busiest-hours', { total: { started: 3 }, groups: [] }, '')).toBeNull();
    expect(chartPlan('agents', { total: {}, groups: [group('a', { handled: '<b>7</b>' })] }, 'agent')).toBeNull();
    expect(chartPlan('no-such-report', { total: { started: 1 }, groups: [] }, '')).toBeNull();
  });
});
