import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import type { UpdateChunk__Output } from '../proto/generated/hefl/v1/UpdateChunk.js';
import { loadFederationService } from '../proto/load-federation-service.js';
import type { EgressRecord, FederationConnection } from '../participant/federation-connection.js';
import { combineDecryptionShares, createDecryptionShare } from '../protocols/ckks/threshold/index.js';
import { federatedAveraging } from '../protocols/aggregation/federated-averaging.js';
import type { FederatedStrategy } from '../protocols/aggregation/federated-strategy.js';
import { computeFeatureStatistics } from '../participant/data/compute-feature-statistics.js';
import { encodeStatisticsLimbs } from '../protocols/data/statistics-limbs.js';
import { parseDataset } from '../participant/data/parse-dataset.js';
import { readCsvTable } from '../participant/data/read-csv-table.js';
import { bankJob, writeBankSlices, type BankSlices } from './support/bank-slices.js';
import { runInProcessFederation, type InProcessNode, type InProcessResult } from './support/in-process-federation.js';
import { forwardConnection } from './support/forward-connection.js';
import { replayPlainFederatedAveraging } from './support/replay-plain-federated-averaging.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const IDS = ['bank', 'ecommerce', 'government'] as const;
// Short enough that a failed round ends soon, long enough for an honest round on a busy machine.
const ROUND_DEADLINE_SECONDS = scaledSeconds(3);
// A late share arrives half a deadline after the deadline, however long that is.
const LATE_SHARE_DELAY_MS = ROUND_DEADLINE_SECONDS * 1_500;
let directory: string;
let slices: BankSlices;
const cleanup: string[] = [];

beforeAll(async () => {
  if (!bankMarketingDataAvailable) return;
  directory = await mkdtemp(join(tmpdir(), 'hefl-custody-'));
  cleanup.push(directory);
  slices = await writeBankSlices(join(directory, 'data'), 250, 100);
}, scaledMs(60_000));

afterAll(async () => {
  for (const path of cleanup) await rm(path, { recursive: true, force: true });
});

function nodes(overrides: Partial<Record<(typeof IDS)[number], Partial<InProcessNode>>> = {}): InProcessNode[] {
  return IDS.map((participantId) => ({ participantId, dataCsv: slices.files[participantId], ...overrides[participantId] }));
}

describe.skipIf(!bankMarketingDataAvailable)('threshold key custody', () => {
  it('no N-1 secret shares (plus everything the coordinator holds) decrypt one participant\'s ciphertext; all N do', async () => {
    const job = bankJob({ jobId: 'custody', training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 5 } });
    const egress: EgressRecord[] = [];
    const logLines: string[] = [];
    const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _encoding, done) => { logLines.push(String(chunk)); done(); } }));
    // The shares are read back after the job, so these nodes are told to keep them (they are wiped by default).
    const keep = { keepSecretShare: true };
    const result: InProcessResult = await runInProcessFederation(
      job,
      nodes({ bank: { onEgress: (record) => egress.push(record), logger, ...keep }, ecommerce: keep, government: keep }),
    );
    cleanup.push(result.keysDirectory);
    expect(result.report.status).toBe('finished');

    // The bank's round-0 update: Enc(its column sums, sums of squares, row count); plaintext known.
    const service = loadFederationService();
    const statisticsChunk = egress
      .filter((record) => record.method === 'SubmitUpdate')
      .map((record) => service.SubmitUpdate.requestDeserialize(Buffer.from(record.bytes)) as UpdateChunk__Output)
      .find((chunk) => chunk.round === 0);
    expect(statisticsChunk).toBeDefined();
    const ciphertext = [new Uint8Array(statisticsChunk?.ciphertext ?? [])];
    const plaintext = encodeStatisticsLimbs(computeFeatureStatistics(parseDataset(await readCsvTable(slices.files.bank), job.features), job.features), job.features.numeric.length);
    const shares = Object.fromEntries(await Promise.all(IDS.map(async (id) => [id, new Uint8Array(await readFile(result.secretShareFiles[id] as string))] as const)));
    const decryptWith = async (ids: readonly string[]): Promise<Float64Array> => {
      const partials = await Promise.all(ids.map((id) => createDecryptionShare(job.ckks, shares[id] as Uint8Array, ciphertext, { smudgingSigmaBits: 40 })));
      return combineDecryptionShares(job.ckks, ciphertext, partials, plaintext.length);
    };
    const maxError = (values: Float64Array): number => values.reduce((max, value, index) => Math.max(max, Math.abs(value - (plaintext[index] as number))), 0);

    expect(maxError(await decryptWith(IDS))).toBeLessThan(1e-3); // all N: the plaintext (so the test is not vacuous)
    for (const left of IDS) {
      const colluders = IDS.filter((id) => id !== left);
      expect(maxError(await decryptWith(colluders)), `without ${left}`).toBeGreaterThan(1e6);
    }

    // Neither key shares nor partial decryptions reach the logs.
    const logged = logLines.join('');
    expect(logged.length).toBeGreaterThan(0);
    for (const id of IDS) {
      const share = shares[id] as Uint8Array;
      for (const encoding of ['hex', 'base64'] as const) expect(logged).not.toContain(Buffer.from(share.subarray(100, 148)).toString(encoding));
    }
    const partialOfBank = egress.find((record) => record.method === 'SubmitDecryptionShare');
    expect(partialOfBank).toBeDefined();
    expect(logged).not.toContain(Buffer.from(partialOfBank?.bytes.subarray(64, 112) ?? []).toString('base64'));
  }, scaledMs(120_000));

  const failures: [string, (connection: FederationConnection) => FederationConnection, RegExp][] = [
    ['missing', (connection) => ({ ...forwardConnection(connection), submitDecryptionShare: async () => ({ accepted: true }) }), /no decryption share from government/],
    [
      'late',
      (connection) => ({
        ...forwardConnection(connection),
        submitDecryptionShare: async (chunks) => {
          await new Promise((resolve) => setTimeout(resolve, LATE_SHARE_DELAY_MS));
          return connection.submitDecryptionShare(chunks);
        },
      }),
      /no decryption share from government/,
    ],
    [
      'malformed',
      (connection) => ({
        ...forwardConnection(connection),
        submitDecryptionShare: (chunks) =>
          connection.submitDecryptionShare([...chunks].map((chunk) => ({ ...chunk, share: chunk.share.map((byte, index) => (index > 200 ? 0xff : byte)) }))),
      }),
      /round 2/,
    ],
  ];

  it.each(failures)('a %s partial decryption fails the round cleanly after its deadline; the previous global model stays in force', async (_name, wrap, reason) => {
    const job = bankJob({
      jobId: 'custody-failure',
      training: { rounds: 2, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 9 },
      federation: { participants: [...IDS], minParticipants: 3, roundDeadlineSeconds: ROUND_DEADLINE_SECONDS, joinDeadlineSeconds: scaledSeconds(30) },
    });
    let round = 0;
    const result = await runInProcessFederation(
      job,
      nodes({
        government: {
          wrapConnection: (connection) => {
            const faulty = wrap(connection);
            return {
              ...forwardConnection(connection),
              // Faulty only in round 2: rounds 0 and 1 decrypt normally.
              submitDecryptionShare: (chunks) => {
                const list = [...chunks];
                round = list[0]?.round ?? round;
                return round === 2 ? faulty.submitDecryptionShare(list) : connection.submitDecryptionShare(list);
              },
            };
          },
        },
      }),
    );
    cleanup.push(result.keysDirectory);
    expect(result.report.status).toBe('failed');
    expect(result.report.failure).toMatch(reason);
    expect(result.report.rounds.map((summary) => summary.round)).toEqual([0, 1]);
    expect(Object.keys(result.failures).sort()).toEqual([...IDS].sort());
    // Every node keeps the round-1 model, which is exactly plaintext FedAvg after one round.
    const afterRoundOne = await replayPlainFederatedAveraging(
      { ...job, training: { ...job.training, rounds: 1 } },
      IDS.map((id) => slices.files[id]),
      result.standardizations.bank,
    );
    for (const id of IDS) {
      const weights = result.inForce[id];
      expect(weights).toBeDefined();
      const error = (weights as Float32Array).reduce((max, value, index) => Math.max(max, Math.abs(value - (afterRoundOne[index] as number))), 0);
      expect(error).toBeLessThan(1e-5);
    }
  }, scaledMs(60_000));

  it('a share missing only once: the round runs again (roundRetries) and the job ends with the plaintext-FedAvg model', async () => {
    const job = bankJob({
      jobId: 'custody-retry',
      training: { rounds: 2, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 9 },
      federation: { participants: [...IDS], minParticipants: 3, roundDeadlineSeconds: ROUND_DEADLINE_SECONDS, joinDeadlineSeconds: scaledSeconds(30), roundRetries: 1 },
    });
    let dropped = false;
    const result = await runInProcessFederation(
      job,
      nodes({
        government: {
          wrapConnection: (connection) => ({
            ...forwardConnection(connection),
            // The first partial decryption of round 2 never arrives; the retry's does.
            submitDecryptionShare: async (chunks) => {
              const list = [...chunks];
              if (list[0]?.round === 2 && !dropped) {
                dropped = true;
                return { accepted: true };
              }
              return connection.submitDecryptionShare(list);
            },
          }),
        },
      }),
    );
    cleanup.push(result.keysDirectory);
    expect(dropped).toBe(true);
    expect(result.report.status).toBe('finished');
    expect(result.report.rounds.map((summary) => summary.round)).toEqual([0, 1, 2]);
    const expected = await replayPlainFederatedAveraging(job, IDS.map((id) => slices.files[id]), result.standardizations.bank);
    for (const id of IDS) {
      const weights = result.inForce[id] as Float32Array;
      expect(weights.reduce((max, value, index) => Math.max(max, Math.abs(value - (expected[index] as number))), 0)).toBeLessThan(1e-5);
    }
  }, scaledMs(60_000));
});

describe.skipIf(!bankMarketingDataAvailable)('verifyAggregate', () => {
  const job = bankJob({
    jobId: 'verify-aggregate',
    custody: { mode: 'threshold', verifyAggregate: true },
    training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 4 },
    // Participants that catch a substitution leave the job; there is no one to run the round again with.
    federation: { participants: [...IDS], minParticipants: 3, roundDeadlineSeconds: scaledSeconds(5), joinDeadlineSeconds: scaledSeconds(30), roundRetries: 0 },
  });

  it('lets an honest round through after every participant re-summed the signed contributions', async () => {
    const egress: EgressRecord[] = [];
    const result = await runInProcessFederation(job, nodes({ bank: { onEgress: (record) => egress.push(record) } }));
    cleanup.push(result.keysDirectory);
    expect(result.report.status).toBe('finished');
    // statistics, training and the training round's evaluation: every aggregate is checked before it is decrypted
    expect(egress.filter((record) => record.method === 'FetchContributions')).toHaveLength(3);
  }, scaledMs(60_000));

  it.each([
    { verify: true, outcome: 'refused by every participant' },
    { verify: false, outcome: 'not caught by nodes that opted out of verification (why it is on by default)' },
  ])('with verifyAggregate=$verify, a coordinator passing one update off as the aggregate is $outcome', async ({ verify }) => {
    // A deviating coordinator, built through the strategy seam: it "aggregates" by serving bank's update alone.
    const substituting: FederatedStrategy = {
      ...federatedAveraging,
      createAggregator: (session, layout, options) => {
        const honest = federatedAveraging.createAggregator(session, layout, options);
        const bankChunks: Uint8Array[] = [];
        const begin = honest.begin.bind(honest);
        honest.begin = (participantId, weight) => {
          const contribution = begin(participantId, weight);
          return {
            ...contribution,
            accept: (index, bytes) => {
              if (participantId === 'bank') bankChunks.push(bytes);
              contribution.accept(index, bytes);
            },
          };
        };
        const finalize = honest.finalize.bind(honest);
        honest.finalize = () => ({ ...finalize(), chunks: [...bankChunks] });
        return honest;
      },
    };
    const variant = bankJob({ ...job, jobId: 'substitution', custody: { mode: 'threshold', verifyAggregate: verify } });
    // Nodes that require verification (the default) refuse a job without it at join; these opted out.
    const optedOut = { privacy: { verifyAggregate: false, maxRoundRetries: 1 } };
    const result = await runInProcessFederation(variant, verify ? nodes() : nodes({ bank: optedOut, ecommerce: optedOut, government: optedOut }), { strategy: substituting });
    cleanup.push(result.keysDirectory);
    if (verify) {
      // Every participant refuses its share: the round fails and nothing is decrypted.
      expect(result.report.status).toBe('failed');
      expect(result.report.failure).toMatch(/round 0.*no decryption share/);
      expect(result.report.rounds).toHaveLength(0);
    } else {
      // Without the option the attack works: the "aggregate" decrypts to bank's statistics alone.
      expect(result.report.status).toBe('finished');
      const bankTotals = computeFeatureStatistics(parseDataset(await readCsvTable(slices.files.bank), variant.features), variant.features);
      const bankCount = bankTotals[bankTotals.length - 1] as number;
      const meanAge = (bankTotals[0] as number) / bankCount;
      expect(result.standardizations.ecommerce?.means[0]).toBeCloseTo(meanAge, 6);
    }
  }, scaledMs(60_000));
});
