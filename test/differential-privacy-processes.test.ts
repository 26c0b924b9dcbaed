import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchLocalFederation } from '../examples/local-federation/launch-local-federation.js';
import { formatCsv } from '../participant/data/write-csv.js';
import { privacyPolicySchema } from '../participant/privacy-policy.js';
import { createSeededRandom } from '../protocols/data/seeded-random.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { computeEpsilon } from '../protocols/privacy/rdp-accountant.js';
import { runHefl } from './support/run-hefl.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

// Issue #17 across OS processes: `hefl coordinator` and two `hefl participant` processes over gRPC,
// each node with a privacy budget in its own config file, ε in its signed ledger, and the audit.
const HEADER = ['x1', 'x2', 'x3', 'y'];
const ROWS = { bank: 300, insurer: 500 } as const;
const IDS = Object.keys(ROWS) as (keyof typeof ROWS)[];
const DELTA = 1e-5;

function syntheticRows(rows: number, seed: number): string[][] {
  const next = createSeededRandom(seed);
  return Array.from({ length: rows }, () => {
    const x = [next(), next(), next()].map((value) => value * 4 - 2);
    const score = 1.2 * (x[0] as number) - 0.8 * (x[1] as number) + (next() - 0.5) * 3;
    return [...x.map((value) => value.toFixed(4)), score > 0 ? '1' : '0'];
  });
}

let directory: string | undefined;
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('record-level DP-SGD with a coordinator and two participant processes', () => {
  it('every node trains within its configured budget, records ε per round in its signed ledger, and `hefl audit verify` reports it', async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-dp-processes-'));
    const files: Record<string, string> = {};
    for (const [index, id] of IDS.entries()) {
      files[id] = join(directory, `${id}.csv`);
      await writeFile(files[id], formatCsv(HEADER, syntheticRows(ROWS[id], 40 + index)));
    }
    const job = jobSpecSchema.parse({
      jobId: 'dp-processes',
      model: { kind: 'logistic-regression' },
      features: { numeric: HEADER.slice(0, 3), label: { column: 'y', positive: 1, negative: 0 } },
      training: { rounds: 1, batchSize: 50, learningRate: 0.05, differentialPrivacy: { noiseMultiplier: 1, clipNorm: 1, delta: DELTA } },
      federation: { participants: [...IDS], minParticipants: 2, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
    });
    const expected = (id: keyof typeof ROWS, rounds: number) =>
      computeEpsilon({ noiseMultiplier: 1, sampleRate: 50 / ROWS[id], steps: rounds * Math.ceil(ROWS[id] / 50), delta: DELTA });
    const result = await launchLocalFederation({
      workDirectory: join(directory, 'federation'),
      job,
      // Each budget covers the whole job with a little to spare (a node refuses a job over it at join).
      nodes: IDS.map((id) => ({ participantId: id, dataCsv: files[id] as string, privacy: privacyPolicySchema.parse({ maxEpsilon: expected(id, 1) + 0.01 }) })),
      timeoutMs: scaledMs(90_000),
      coordinatorArgs: ['--report-dir', join(directory, 'report')],
    });
    expect(result.coordinatorExitCode).toBe(0);
    expect(result.participantExitCodes).toEqual({ bank: 0, insurer: 0 });
    expect(result.report.status).toBe('finished');

    const ledgers = IDS.map((id) => join(result.outputDirectories[id] as string, 'egress.jsonl'));
    for (const [index, id] of IDS.entries()) {
      const records = (await readFile(ledgers[index] as string, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { messageType: string; metadataFields?: Record<string, unknown> })
        .filter((record) => record.messageType === 'PrivacySpent');
      expect(records.map((record) => record.metadataFields?.round), id).toEqual([1]);
      records.forEach((record, round) => expect(record.metadataFields?.epsilon as number, id).toBeCloseTo(expected(id, round + 1), 10));
      expect(records[0]?.metadataFields).toMatchObject({ mechanism: 'record-level', delta: DELTA, maxEpsilon: expected(id, 1) + 0.01, sampleRate: 50 / ROWS[id] });
    }
    expect(await readFile(join(directory, 'report', 'model-card.md'), 'utf8')).toContain('**Differential privacy: record-level DP-SGD**');

    const roster = join(directory, 'federation', 'keys', 'coordinator', 'keys.json');
    const ingress = join(directory, 'federation', 'coordinator-ingress.jsonl');
    const audit = await runHefl(['audit', 'verify', '--roster', roster, ...ledgers, ingress]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    for (const id of IDS) expect(audit.stdout).toMatch(new RegExp(`differential privacy, ${id}: ε [\\d.]+ at δ 0\\.00001 after round 1 \\(record-level, z 1, C 1`));
  }, scaledMs(120_000));
});
