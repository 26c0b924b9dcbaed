import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyBudgetError } from '../participant/local-trainer.js';
import type { EgressRecord } from '../participant/federation-connection.js';
import { computeAuc } from '../participant/data/compute-auc.js';
import { encodeFeatures } from '../participant/data/encode-features.js';
import { parseDataset } from '../participant/data/parse-dataset.js';
import { parseCsvText } from '../participant/data/read-csv-table.js';
import type { Standardization } from '../participant/data/standardization-from-totals.js';
import { formatCsv } from '../participant/data/write-csv.js';
import { buildModel } from '../participant/model/build-model.js';
import { predictScores } from '../participant/model/predict-scores.js';
import { setFlatWeights } from '../participant/model/unflatten-weights.js';
import type { PrivacyPolicy } from '../participant/privacy-policy.js';
import { jobSpecSchema, type JobSpec, type JobSpecInput } from '../protocols/job/job-spec.js';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { auditPrivacySpent, PRIVACY_SPENT } from '../protocols/ledger/privacy-spent.js';
import { verifyLedger, type LedgerVerification } from '../protocols/ledger/verify-ledger.js';
import { computeEpsilon } from '../protocols/privacy/rdp-accountant.js';
import type { UpdateChunk__Output } from '../proto/generated/hefl/v1/UpdateChunk.js';
import { loadFederationService } from '../proto/load-federation-service.js';
import { forwardConnection } from './support/forward-connection.js';
import { runInProcessFederation, type InProcessNode } from './support/in-process-federation.js';
import { createSeededRandom } from '../protocols/data/seeded-random.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

// Issue #17: record-level DP-SGD in real jobs, with real tfjs, SEAL (threshold custody) and gRPC.
const HEADER = ['x1', 'x2', 'x3', 'x4', 'y'];
const IDS = ['bank', 'insurer', 'lender'] as const;
const ROWS = { bank: 500, insurer: 600, lender: 700 } as const;
const DELTA = 1e-5;


/** A clear linear signal with label noise: a logistic regression reaches AUC ≈ 0.9. */
function syntheticRows(rows: number, seed: number): string[][] {
  const next = createSeededRandom(seed);
  return Array.from({ length: rows }, () => {
    const x = [next(), next(), next(), next()].map((value) => value * 4 - 2);
    const score = 1.2 * (x[0] as number) - 0.8 * (x[1] as number) + 0.5 * (x[2] as number) + (next() - 0.5) * 3;
    return [...x.map((value) => value.toFixed(4)), score > 0 ? '1' : '0'];
  });
}

let directory: string;
const files: Record<string, string> = {};
let testRows: string[][];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-dp-'));
  for (const [index, id] of IDS.entries()) {
    files[id] = join(directory, `${id}.csv`);
    await writeFile(files[id], formatCsv(HEADER, syntheticRows(ROWS[id], 21 + index)));
  }
  testRows = syntheticRows(2_000, 99);
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

function dpJob(jobId: string, overrides: Partial<JobSpecInput> = {}, dp: Record<string, unknown> | null = { noiseMultiplier: 1, clipNorm: 1, delta: DELTA }): JobSpec {
  return jobSpecSchema.parse({
    jobId,
    model: { kind: 'logistic-regression' },
    features: { numeric: HEADER.slice(0, 4), label: { column: 'y', positive: 1, negative: 0 } },
    training: { rounds: 3, localEpochs: 1, batchSize: 50, learningRate: 0.05, optimizer: 'adam', seed: 5, ...(dp ? { differentialPrivacy: dp } : {}) },
    federation: { participants: [...IDS], minParticipants: 3, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
    ...overrides,
  });
}

const ledgerKeys = new Map<string, KeyObject>();
let ledgerCount = 0;

interface Observed {
  readonly egress: Record<string, EgressRecord[]>;
  readonly ledgers: Record<string, string>;
}

/** Nodes that keep a signed ledger of their refusals and ε records (as the CLI does) and record what leaves them. */
function nodesWith(overrides: Partial<Record<(typeof IDS)[number], Partial<InProcessNode>>> = {}): { nodes: InProcessNode[]; observed: Observed } {
  const observed: Observed = { egress: {}, ledgers: {} };
  const nodes = IDS.map((participantId): InProcessNode => {
    const records: EgressRecord[] = (observed.egress[participantId] = []);
    const path = (observed.ledgers[participantId] = join(directory, `ledger-${(ledgerCount += 1)}-${participantId}.jsonl`));
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    ledgerKeys.set(participantId + path, publicKey);
    const ledger = new LedgerWriter(path, participantId, privateKey);
    return {
      participantId,
      dataCsv: files[participantId] as string,
      ...(participantId === 'bank' ? { evaluationCsv: files.lender as string } : {}),
      onEgress: (record) => records.push(record),
      onRefusal: (messageType, reason) => ledger.recordBytes('egress', messageType, new Uint8Array(0), 'refused', reason),
      onPrivacySpent: (fields) => ledger.recordBytes('egress', PRIVACY_SPENT, new Uint8Array(0), 'metadata', undefined, undefined, { ...fields }),
      ...overrides[participantId],
    };
  });
  return { nodes, observed };
}

async function ledgerOf(observed: Observed, id: string): Promise<LedgerVerification> {
  const path = observed.ledgers[id] as string;
  const text = await readFile(path, 'utf8').catch(() => '');
  const verification = verifyLedger(text, path, () => ledgerKeys.get(id + path));
  expect(verification.valid, id).toBe(true);
  return verification;
}

function testAuc(job: JobSpec, weights: Float32Array, standardization: Standardization): number {
  const test = encodeFeatures(parseDataset(parseCsvText(formatCsv(HEADER, testRows), 'test'), job.features), job.features, standardization);
  const model = buildModel(job.model, test.width);
  try {
    setFlatWeights(model, weights);
    return computeAuc(predictScores(model, test.features, test.rowCount, test.width), test.labels);
  } finally {
    model.dispose();
  }
}

const policy = (extra: Partial<PrivacyPolicy>): PrivacyPolicy => ({ verifyAggregate: true, maxRoundRetries: 1, ...extra });

describe('record-level DP-SGD in a job', () => {
  it('runs end to end under threshold custody: a model unlike the non-DP one, a reasonable AUC, ε per node in its signed ledger, rising, as the audit reports', async () => {
    const { nodes, observed } = nodesWith();
    const result = await runInProcessFederation(dpJob('dp-threshold'), nodes);
    expect(result.failures).toEqual({});
    expect(result.report.status).toBe('finished');
    const plain = await runInProcessFederation(dpJob('plain-threshold', {}, null), nodesWith().nodes);
    expect(plain.report.status).toBe('finished');
    const job = dpJob('dp-threshold');
    const dpWeights = result.outcomes.bank?.finalWeights as Float32Array;
    const plainWeights = plain.outcomes.bank?.finalWeights as Float32Array;
    const difference = Math.max(...Array.from(dpWeights, (value, index) => Math.abs(value - (plainWeights[index] as number))));
    expect(difference).toBeGreaterThan(1e-3);
    const dpAuc = testAuc(job, dpWeights, result.outcomes.bank?.standardization as Standardization);
    const plainAuc = testAuc(job, plainWeights, plain.outcomes.bank?.standardization as Standardization);
    expect(plainAuc).toBeGreaterThan(0.8);
    expect(dpAuc).toBeGreaterThan(0.75);

    const verifications: LedgerVerification[] = [];
    for (const id of IDS) {
      const rows = ROWS[id];
      const stepsPerRound = Math.ceil(rows / 50);
      const expected = [1, 2, 3].map((rounds) => computeEpsilon({ noiseMultiplier: 1, sampleRate: 50 / rows, steps: rounds * stepsPerRound, delta: DELTA }));
      const verification = await ledgerOf(observed, id);
      verifications.push(verification);
      const spent = verification.records.filter((record) => record.messageType === PRIVACY_SPENT);
      expect(spent.map((record) => record.metadataFields?.round), id).toEqual([1, 2, 3]);
      spent.forEach((record, index) => {
        expect(record.metadataFields?.epsilon as number, id).toBeCloseTo(expected[index] as number, 10);
        expect(record.metadataFields).toMatchObject({ delta: DELTA, noiseMultiplier: 1, clipNorm: 1, sampleRate: 50 / rows, steps: (index + 1) * stepsPerRound, roundSteps: stepsPerRound, mechanism: 'record-level' });
      });
      // The participant's own outcome states the same ε; each node's q (and so ε) is its own.
      expect(result.outcomes[id]?.privacy?.epsilon, id).toBeCloseTo(expected[2] as number, 10);
      expect(result.outcomes[id]?.privacy?.sampleRate).toBe(50 / rows);
    }
    expect(new Set(IDS.map((id) => result.outcomes[id]?.privacy?.epsilon)).size).toBe(3);
    const audit = auditPrivacySpent(verifications);
    expect(audit.consistent).toBe(true);
    for (const id of IDS) expect(audit.lines.join('\n')).toContain(`differential privacy, ${id}: ε ${result.outcomes[id]?.privacy?.epsilon} at δ ${DELTA} after round 3`);
    expect(auditPrivacySpent(verifications, { maxEpsilon: 0.1 }).consistent).toBe(false);
    for (const folder of [result.keysDirectory, plain.keysDirectory]) await rm(folder, { recursive: true, force: true });
  }, scaledMs(240_000));

  it.each([
    ['a job whose full cost exceeds the node\'s maxEpsilon', dpJob('over-budget', { federation: { participants: [...IDS], minParticipants: 3, joinDeadlineSeconds: 5 } }), policy({ maxEpsilon: 0.5 }), /would cost ε [\d.]+ at δ 0\.00001, above privacy\.maxEpsilon 0\.5; refusing/],
    ['a job without DP at a node that requires it', dpJob('no-dp', { federation: { participants: [...IDS], minParticipants: 3, joinDeadlineSeconds: 5 } }, null), policy({ requireDifferentialPrivacy: true }), /has no training\.differentialPrivacy, and this node's privacy policy requires differential privacy; refusing/],
  ])('%s is refused by every node at join: nothing but the Join leaves', async (_name, job, privacy, reason) => {
    const { nodes, observed } = nodesWith({ bank: { privacy }, insurer: { privacy }, lender: { privacy } });
    const result = await runInProcessFederation(job, nodes);
    expect(result.report.status).toBe('failed');
    for (const id of IDS) {
      expect(result.failures[id]?.message, id).toMatch(reason);
      expect(observed.egress[id]?.map((record) => record.method), id).toEqual(['Join']);
      const ledger = await ledgerOf(observed, id);
      expect(ledger.records.map((record) => `${record.messageType}: ${record.refusalReason}`).join('\n')).toMatch(reason);
    }
    await rm(result.keysDirectory, { recursive: true, force: true });
  }, scaledMs(120_000));

  it('a node stops before the round that would exceed its budget (a retried round spent more than planned) and leaves the job', async () => {
    // rounds 2: the bank's budget covers exactly 2 rounds of its DP-SGD, so it joins; the insurer's
    // first training update is lost in transit, round 1 runs again, and round 2 would be its third.
    const job = dpJob('budget-stop', {
      training: { rounds: 2, localEpochs: 1, batchSize: 50, learningRate: 0.05, optimizer: 'adam', seed: 5, differentialPrivacy: { noiseMultiplier: 1, clipNorm: 1, delta: DELTA } },
      federation: { participants: [...IDS], minParticipants: 3, roundDeadlineSeconds: scaledSeconds(4), joinDeadlineSeconds: scaledSeconds(15), roundRetries: 1 },
    });
    const stepsPerRound = Math.ceil(ROWS.bank / 50);
    const twoRounds = computeEpsilon({ noiseMultiplier: 1, sampleRate: 50 / ROWS.bank, steps: 2 * stepsPerRound, delta: DELTA });
    let uploads = 0;
    const { nodes, observed } = nodesWith({
      bank: { privacy: policy({ maxEpsilon: twoRounds + 1e-9 }) },
      insurer: {
        wrapConnection: (connection) => ({
          ...forwardConnection(connection),
          // upload 1 is the statistics; upload 2, the first training update, is lost
          submitUpdate: async (chunks) => ((uploads += 1) === 2 ? { accepted: true } : connection.submitUpdate(chunks)),
        }),
      },
    });
    const result = await runInProcessFederation(job, nodes);
    expect(result.report.status).toBe('failed');
    const failure = result.failures.bank;
    expect(failure).toBeInstanceOf(PrivacyBudgetError);
    expect(failure?.message).toMatch(/^privacy budget: round 2 would take ε from [\d.]+ to [\d.]+ at δ 0\.00001, above privacy\.maxEpsilon [\d.]+; this node stops contributing and leaves the job$/);
    const spent = (await ledgerOf(observed, 'bank')).records.filter((record) => record.messageType === PRIVACY_SPENT);
    expect(spent.map((record) => record.metadataFields?.round)).toEqual([1, 1]);
    expect(spent.at(-1)?.metadataFields?.epsilon as number).toBeCloseTo(twoRounds, 10);
    // Nothing of round 2 left the bank.
    const service = loadFederationService();
    const rounds = (observed.egress.bank ?? [])
      .filter((record) => record.method === 'SubmitUpdate')
      .map((record) => (service.SubmitUpdate.requestDeserialize(Buffer.from(record.bytes)) as UpdateChunk__Output).round);
    expect(rounds.length).toBeGreaterThan(0);
    expect(Math.max(...rounds)).toBeLessThan(2);
    await rm(result.keysDirectory, { recursive: true, force: true });
  }, scaledMs(240_000));
});

describe('distributed noise shares in a job (threshold custody)', () => {
  it.each([
    ['distributed', (rows: number) => 50 / rows],
    ['client-level', () => 0.5],
  ] as const)('%s: runs, and each node spends ε as stated, without collusion (z) and with every other node colluding (z/√3), in its signed ledger', async (mechanism, sampleRateOf) => {
    // client-level with secret participation sampling: each node's update joins a round with probability 0.5.
    const job = dpJob(`dp-${mechanism}`, {}, { mechanism, noiseMultiplier: 1, clipNorm: 1, delta: DELTA, ...(mechanism === 'client-level' ? { clientSampleRate: 0.5 } : {}) });
    const { nodes, observed } = nodesWith();
    const result = await runInProcessFederation(job, nodes);
    expect(result.failures).toEqual({});
    expect(result.report.status).toBe('finished');
    const verifications: LedgerVerification[] = [];
    for (const id of IDS) {
      const sampleRate = sampleRateOf(ROWS[id]);
      const epsilonAfter = (rounds: number, noiseMultiplier: number) => computeEpsilon({ noiseMultiplier, sampleRate, steps: rounds, delta: DELTA });
      const verification = await ledgerOf(observed, id);
      verifications.push(verification);
      const spent = verification.records.filter((record) => record.messageType === PRIVACY_SPENT);
      expect(spent.map((record) => record.metadataFields?.round), id).toEqual([1, 2, 3]);
      spent.forEach((record, index) => {
        expect(record.metadataFields?.epsilon as number, id).toBeCloseTo(epsilonAfter(index + 1, 1), 10);
        expect(record.metadataFields?.epsilonIfOthersCollude as number, id).toBeCloseTo(epsilonAfter(index + 1, 1 / Math.sqrt(3)), 10);
        expect(record.metadataFields).toMatchObject({ mechanism, noiseMultiplier: 1, clipNorm: 1, sampleRate, steps: index + 1, roundSteps: 1, noiseShares: 3 });
      });
      expect(result.outcomes[id]?.privacy).toMatchObject({ mechanism, sampleRate, steps: 3, noiseShares: 3 });
      expect(result.outcomes[id]?.privacy?.epsilon).toBeCloseTo(epsilonAfter(3, 1), 10);
      expect(result.outcomes[id]?.privacy?.epsilonIfOthersCollude).toBeGreaterThan(result.outcomes[id]?.privacy?.epsilon as number);
    }
    // Every node applied the same noisy aggregates: one final model, finite.
    const weights = result.outcomes.bank?.finalWeights as Float32Array;
    expect(weights.every(Number.isFinite)).toBe(true);
    expect([...(result.outcomes.lender?.finalWeights ?? [])]).toEqual([...weights]);
    const audit = auditPrivacySpent(verifications);
    expect(audit.consistent).toBe(true);
    expect(audit.lines.join('\n')).toContain(`differential privacy, bank: ε ${result.outcomes.bank?.privacy?.epsilon} at δ ${DELTA} after round 3 (${mechanism}`);
    expect(audit.lines.join('\n')).toContain(`; ε ${result.outcomes.bank?.privacy?.epsilonIfOthersCollude} if all other participants collude (noise in 3 shares)`);
    await rm(result.keysDirectory, { recursive: true, force: true });
  }, scaledMs(120_000));
});
