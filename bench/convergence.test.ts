import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCsv } from '../participant/data/write-csv.js';
import { createSeededRandom } from '../protocols/data/seeded-random.js';
import { scaledMs } from '../test/support/time-scale.js';
import { BENCH_REPORT_FORMAT, type BenchReport } from './bench-report.js';
import { convergenceTables, thresholdAucGap } from './convergence-report.js';
import { aucAfter, bestAuc, earlyStop, roundsToStayWithin, roundsToWithin } from './convergence-rounds.js';
import { CONVERGENCE_TOLERANCE, CONVERGENCE_VARIANTS, runConvergence, type ConvergenceData, type ConvergenceRun } from './convergence.js';

describe('rounds to the centralized AUC', () => {
  const aucs = [0.6, 0.7, 0.708, 0.705, 0.709, 0.71];

  it('counts the first round within the tolerance, 0.002 below the target counting as within', () => {
    expect(roundsToWithin(aucs, 0.71, 0.002)).toBe(3);
    expect(roundsToWithin(aucs, 0.71, 0)).toBe(6);
    expect(roundsToWithin(aucs, 0.72, 0.002)).toBeNull();
    expect(roundsToWithin([null, 0.71], 0.71, 0.002)).toBe(2);
    expect(roundsToWithin([], 0.71, 0.002)).toBeNull();
  });

  it('counts the round from which the run stays within, null when the last round is not', () => {
    expect(roundsToStayWithin(aucs, 0.71, 0.002)).toBe(5);
    expect(roundsToStayWithin(aucs, 0.71, 0.01)).toBe(2);
    expect(roundsToStayWithin([0.71, 0.7], 0.71, 0.002)).toBeNull();
  });

  it('reads the AUC after a round count, and the best with its first round', () => {
    expect(aucAfter(aucs, 3)).toBe(0.708);
    expect(aucAfter(aucs, 20)).toBeNull();
    expect(bestAuc(aucs)).toEqual({ auc: 0.71, round: 6 });
    expect(bestAuc([0.7, 0.7, null])).toEqual({ auc: 0.7, round: 1 });
    expect(bestAuc([null])).toBeNull();
  });

  it("finds where stopAfterRoundsWithoutImprovement would end the job, by the coordinator's rule", () => {
    const dipping = [0.6, 0.7, 0.708, 0.705, 0.707, 0.71];
    // Best 0.708 at round 3; rounds 4 and 5 do not beat it: patience 2 stops after round 5.
    expect(earlyStop(dipping, 2)).toEqual({ round: 5, auc: 0.707 });
    expect(earlyStop(dipping, 1)).toEqual({ round: 4, auc: 0.705 });
    expect(earlyStop(dipping, 3)).toBeNull();
    expect(earlyStop(aucs, 2)).toBeNull();
    // A round without an AUC neither improves nor counts.
    expect(earlyStop([0.7, null, 0.69, 0.69, 0.71], 2)).toEqual({ round: 4, auc: 0.69 });
  });

  it('compares fedavg under threshold CKKS with custody none round by round', () => {
    const run = (custody: 'none' | 'threshold', runAucs: number[]): ConvergenceRun => ({
      name: custody,
      custody,
      serverOptimizer: 'fedavg',
      fedProxMu: null,
      aucs: runAucs,
      roundSeconds: [],
      wallSeconds: 0,
      roundsToWithin: null,
      roundsToStayWithin: null,
      finalAuc: null,
      aucAtDefaultRounds: null,
      best: null,
      earlyStop: null,
    });
    expect(thresholdAucGap([run('none', [0.7, 0.71]), run('threshold', [0.7001, 0.7098])])).toBeCloseTo(0.0002, 10);
    expect(thresholdAucGap([run('none', [0.7, 0.71])])).toBeNull();
  });
});

describe('the convergence section on a tiny synthetic dataset', () => {
  const directories: string[] = [];
  afterAll(async () => {
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  /** Two numeric columns and a category; y depends on x1 and the category, with noise. */
  function syntheticRows(count: number, seed: number): string[][] {
    const random = createSeededRandom(seed);
    return Array.from({ length: count }, () => {
      const x1 = random() * 4 - 2;
      const x2 = random() * 10;
      const group = random() < 0.5 ? 'a' : 'b';
      const logit = 1.5 * x1 + (group === 'a' ? 0.5 : -0.5) + (random() - 0.5) * 2;
      return [x1.toFixed(3), x2.toFixed(3), group, logit > 0 ? 'yes' : 'no'];
    });
  }

  it('runs the centralized curve and two federations for 2 rounds each, and renders its table', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-convergence-test-'));
    directories.push(directory);
    const header = ['x1', 'x2', 'group', 'y'];
    const institutions = await Promise.all(
      ['p1', 'p2'].map(async (id, index) => {
        const csv = join(directory, `${id}.csv`);
        await writeFile(csv, formatCsv(header, syntheticRows(150, 10 + index)));
        return { id, csv };
      }),
    );
    const evaluationCsv = join(directory, 'test.csv');
    await writeFile(evaluationCsv, formatCsv(header, syntheticRows(200, 99)));
    const data: ConvergenceData = {
      description: 'synthetic',
      features: { numeric: ['x1', 'x2'], categorical: [{ name: 'group', categories: ['a', 'b'] }], label: { column: 'y', positive: 'yes', negative: 'no' }, ignored: [] },
      institutions,
      evaluationCsv,
    };
    const fedadam = CONVERGENCE_VARIANTS.find((variant) => variant.training?.serverOptimizer?.kind === 'fedadam');
    const variants = [CONVERGENCE_VARIANTS[0], fedadam].filter((variant) => variant !== undefined);
    const result = await runConvergence(data, { maxRounds: 2, rowsPerInstitution: 0, withThreshold: false }, () => {}, variants);

    expect(result.rowsPerInstitution).toEqual({ p1: 150, p2: 150 });
    expect(result.evaluationRows).toBe(200);
    expect(result.centralized.aucs).toHaveLength(2);
    expect(result.centralized.exactAucs).toHaveLength(2);
    expect(result.centralized.targetAuc).toBe(result.centralized.aucs[1]);
    expect(result.runs.map((run) => [run.serverOptimizer, run.custody])).toEqual([
      ['fedavg', 'none'],
      ['fedadam', 'none'],
    ]);
    for (const run of result.runs) {
      expect(run.aucs).toHaveLength(2);
      for (const value of run.aucs) expect(value).toBeGreaterThan(0.5);
      expect(run.finalAuc).toBe(run.aucs[1]);
      expect(run.roundsToWithin).toBe(roundsToWithin(run.aucs, result.centralized.targetAuc, CONVERGENCE_TOLERANCE));
      expect(run.roundSeconds).toHaveLength(2);
      expect(run.aucAtDefaultRounds).toBeNull();
    }
    // The server optimizer changes the model, so the two runs' AUCs differ somewhere.
    expect(result.runs[0]?.aucs).not.toEqual(result.runs[1]?.aucs);

    const report = { format: BENCH_REPORT_FORMAT, convergence: result } as unknown as BenchReport;
    const [table] = convergenceTables(report);
    expect(table?.rows).toHaveLength(3);
    expect(table?.title).toMatch(/within 0\.002 AUC of the centralized model/);
    expect(convergenceTables({ ...report, convergence: { status: 'skipped', reason: 'no data' } })[0]?.rows).toEqual([['convergence', 'skipped: no data']]);
  }, scaledMs(120_000));
});
