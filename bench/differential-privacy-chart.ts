import { renderLineChartSvg, type ChartSeries } from '../reporting/render-line-chart-svg.js';

/**
 * The DP section's chart: federated held-out AUC (after the last round) against each institution's
 * own ε, one line per institution over the DP runs (sorted by its ε), and the no-DP AUC as a flat
 * reference line across the same ε range (no-DP has ε = ∞, which no axis shows).
 */
/** What the chart reads of a DP bench run (DpBenchRun in differential-privacy.ts). */
export interface DpChartRun {
  /** null: the run without DP. */
  readonly variant: { readonly mechanism?: string } | null;
  readonly epsilon: Readonly<Record<string, number | null>>;
  readonly finalAuc: number | null;
}

export function renderDpChartSvg(runs: readonly DpChartRun[], institutions: readonly string[], delta: number): string {
  // Record-level DP-SGD only: the distributed mechanisms' ε means something else (and has two values).
  const dpRuns = runs.filter((run) => run.variant !== null && run.variant.mechanism === undefined && run.finalAuc !== null);
  const series: ChartSeries[] = institutions.map((id) => ({
    name: `ε ${id}`,
    points: dpRuns
      .map((run) => ({ x: run.epsilon[id] ?? Number.NaN, y: run.finalAuc as number }))
      .filter((point) => Number.isFinite(point.x))
      .sort((a, b) => a.x - b.x),
  }));
  const xs = series.flatMap((line) => line.points.map((point) => point.x));
  const plain = runs.find((run) => run.variant === null)?.finalAuc;
  if (plain !== undefined && plain !== null && xs.length > 0) {
    series.push({ name: 'no DP (ε = ∞)', points: [{ x: Math.min(...xs), y: plain }, { x: Math.max(...xs), y: plain }] });
  }
  return renderLineChartSvg({ title: `Held-out AUC against ε (δ = ${delta}), record-level DP-SGD`, xLabel: 'ε of the institution (its own q and steps)', yLabel: 'federated held-out AUC', series });
}
