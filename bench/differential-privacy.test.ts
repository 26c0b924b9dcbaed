import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCsv } from '../participant/data/write-csv.js';
import { computeEpsilon } from '../protocols/privacy/rdp-accountant.js';
import type { BenchReport } from './bench-report.js';
import { differentialPrivacyTables } from './differential-privacy-report.js';
import { runDpTradeoff } from './differential-privacy.js';
import { formatTable } from './format-table.js';

const HEADER = ['x1', 'x2', 'y'];
let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

function rows(count: number, seed: number): string[][] {
  let state = seed >>> 0;
  const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: count }, () => {
    const x1 = next() * 4 - 2;
    const x2 = next() * 4 - 2;
    return [x1.toFixed(4), x2.toFixed(4), x1 - 0.5 * x2 + (next() - 0.5) * 2 > 0 ? '1' : '0'];
  });
}

describe('the DP bench section', () => {
  it('reports each institution\'s own ε (its q and steps) and the federated AUC per variant, and renders the table', async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-dp-bench-'));
    const sizes = { a: 600, b: 900 } as const;
    const institutions = await Promise.all(
      Object.entries(sizes).map(async ([id, count], index) => {
        const csv = join(directory as string, `${id}.csv`);
        await writeFile(csv, formatCsv(HEADER, rows(count, 3 + index)));
        return { id, csv };
      }),
    );
    const evaluationCsv = join(directory, 'test.csv');
    await writeFile(evaluationCsv, formatCsv(HEADER, rows(500, 9)));
    const result = await runDpTradeoff(
      { description: 'synthetic', features: { numeric: ['x1', 'x2'], categorical: [], ignored: [], label: { column: 'y', positive: '1', negative: '0' } }, institutions, evaluationCsv },
      { rounds: 2, rowsPerInstitution: 0, variants: [null, { noiseMultiplier: 1 }, { targetEpsilon: 3 }, { mechanism: 'distributed', noiseMultiplier: 1, rounds: 1, learningRate: 2 }] },
      () => undefined,
    );
    const [plain, fixed, target, distributed] = result.runs;
    expect(plain?.epsilon).toEqual({ a: null, b: null });
    for (const [id, count] of Object.entries(sizes)) {
      const steps = 2 * Math.ceil(count / 256);
      expect(fixed?.epsilon[id]).toBeCloseTo(computeEpsilon({ noiseMultiplier: 1, sampleRate: 256 / count, steps, delta: 1e-5 }), 10);
      expect(fixed?.steps[id]).toBe(steps);
      expect(target?.epsilon[id]).toBeLessThanOrEqual(3);
      // Distributed FedSGD: one step per round at the node's q; with both others colluding, z/√2.
      expect(distributed?.epsilon[id]).toBeCloseTo(computeEpsilon({ noiseMultiplier: 1, sampleRate: 256 / count, steps: 1, delta: 1e-5 }), 10);
      expect(distributed?.epsilonIfOthersCollude?.[id]).toBeCloseTo(computeEpsilon({ noiseMultiplier: Math.SQRT1_2, sampleRate: 256 / count, steps: 1, delta: 1e-5 }), 10);
    }
    for (const run of result.runs) expect(run.finalAuc).toBeGreaterThan(0.6);
    expect(fixed?.epsilonIfOthersCollude).toBeUndefined();
    const table = formatTable(differentialPrivacyTables({ differentialPrivacy: result } as BenchReport)[0] as ReturnType<typeof differentialPrivacyTables>[number]);
    expect(table).toContain('DP-SGD targetEpsilon 3 (z per node), C = 1');
    expect(table).toMatch(/no DP\s+∞\s+∞/);
    expect(table).toMatch(/distributed FedSGD z = 1, C = 1, 1 round, step 2\s+\d+\.\d\d \/ \d+\.\d\d \(z 1\.00\)/);
    // The chart: one line per institution (its ε, record-level runs only) and the no-DP reference line.
    expect(result.chartSvg).toMatch(/^<svg /);
    expect(result.chartSvg.match(/<polyline /g)).toHaveLength(3);
    for (const name of ['ε a', 'ε b', 'no DP (ε = ∞)', 'Held-out AUC against ε (δ = 0.00001)']) expect(result.chartSvg).toContain(name);
  }, 120_000);
});
