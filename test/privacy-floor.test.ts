import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import type { EgressRecord } from '../participant/federation-connection.js';
import { federatedAveraging } from '../protocols/aggregation/federated-averaging.js';
import type { FederatedStrategy } from '../protocols/aggregation/federated-strategy.js';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { verifyLedger } from '../protocols/ledger/verify-ledger.js';
import type { DecryptionShareChunk__Output } from '../proto/generated/hefl/v1/DecryptionShareChunk.js';
import type { FetchAggregateRequest__Output } from '../proto/generated/hefl/v1/FetchAggregateRequest.js';
import { loadFederationService } from '../proto/load-federation-service.js';
import { bankJob, writeBankSlices, type BankSlices } from './support/bank-slices.js';
import { forwardConnection } from './support/forward-connection.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';
import { runInProcessFederation, type InProcessNode } from './support/in-process-federation.js';

// Attacks by whoever runs the coordinator (issue: "no coordinator can get one institution's update
// decrypted"). Each must end with every honest node refusing, saying why in its log and its ledger,
// and with nothing decrypted that is not the sum of every institution's update.
const IDS = ['bank', 'ecommerce', 'government'] as const;
let directory: string;
let slices: BankSlices;

beforeAll(async () => {
  if (!bankMarketingDataAvailable) return;
  directory = await mkdtemp(join(tmpdir(), 'hefl-floor-'));
  slices = await writeBankSlices(join(directory, 'data'), 200, 50);
}, 60_000);
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

interface Observed {
  readonly egress: Record<string, EgressRecord[]>;
  /** Each node's signed ledger file (refusals only here; the CLI records every message too). */
  readonly ledgers: Record<string, string>;
}
let ledgerCount = 0;
const ledgerKeys = new Map<string, KeyObject>();

/** Nodes that record what leaves them and keep a signed ledger of their refusals, as the CLI does. */
function observedNodes(overrides: Partial<Record<(typeof IDS)[number], Partial<InProcessNode>>> = {}): { nodes: InProcessNode[]; observed: Observed } {
  const observed: Observed = { egress: {}, ledgers: {} };
  const nodes = IDS.map((participantId): InProcessNode => {
    const records: EgressRecord[] = (observed.egress[participantId] = []);
    const path = (observed.ledgers[participantId] = join(directory, `ledger-${(ledgerCount += 1)}-${participantId}.jsonl`));
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    ledgerKeys.set(path, publicKey);
    const ledger = new LedgerWriter(path, participantId, privateKey);
    return {
      participantId,
      dataCsv: slices.files[participantId],
      onEgress: (record) => records.push(record),
      onRefusal: (messageType, reason) => ledger.recordBytes('egress', messageType, new Uint8Array(0), 'refused', reason),
      ...overrides[participantId],
    };
  });
  return { nodes, observed };
}

/** The refusals in a node's ledger, after checking its chain and signatures. */
async function refusalsIn(path: string | undefined): Promise<string> {
  const text = await readFile(path as string, 'utf8').catch(() => '');
  const verified = verifyLedger(text, path as string, () => ledgerKeys.get(path as string));
  expect(verified.valid).toBe(true);
  return verified.records.filter((record) => record.classification === 'refused').map((record) => `${record.messageType}: ${record.refusalReason}`).join('\n');
}

/** A coordinator that lies about its quorum: it finishes a round with a single contribution. */
const quorumOfOne: FederatedStrategy = {
  ...federatedAveraging,
  configureRound: (input) => ({ ...federatedAveraging.configureRound(input), minContributions: 1 }),
};

describe.skipIf(!bankMarketingDataAvailable)('the privacy floor every participant enforces', () => {
  it.each([
    ['a quorum of 1 (minParticipants: 1)', { federation: { participants: [...IDS], minParticipants: 1, joinDeadlineSeconds: 5 } }, /federation\.minParticipants is 1, below privacy\.minContributors 3/],
    ['verification switched off', { custody: { mode: 'threshold' as const, verifyAggregate: false }, federation: { participants: [...IDS], minParticipants: 3, joinDeadlineSeconds: 5 } }, /custody\.verifyAggregate is false/],
    ['more retries than the node allows', { federation: { participants: [...IDS], minParticipants: 3, roundRetries: 4, joinDeadlineSeconds: 5 } }, /roundRetries is 4, above privacy\.maxRoundRetries 1/],
  ])('a job with %s is refused by every node at join: nothing but the Join leaves', async (_name, patch, reason) => {
    // (The coordinator then gives up at its join deadline; the nodes refused at once.)
    const job = bankJob({ jobId: 'weak-job', ...patch });
    const { nodes, observed } = observedNodes();
    const result = await runInProcessFederation(job, nodes);
    expect(result.report.status).toBe('failed');
    for (const id of IDS) {
      expect(result.failures[id]?.message, id).toMatch(reason);
      expect(observed.egress[id]?.map((record) => record.method)).toEqual(['Join']);
      expect((await refusalsIn(observed.ledgers[id]))).toMatch(reason);
    }
    await rm(result.keysDirectory, { recursive: true, force: true });
  }, scaledMs(120_000));

  it('two updates lost in transit and a coordinator finishing with one contributor: no node decrypts the bank\'s statistics', async () => {
    // The coordinator acknowledges ecommerce's and government's updates but never adds them (or they were
    // lost), and closes the round with the bank's alone; the job itself says minParticipants 3.
    const job = bankJob({
      jobId: 'one-contributor',
      federation: { participants: [...IDS], minParticipants: 3, roundDeadlineSeconds: scaledSeconds(4), joinDeadlineSeconds: 60, roundRetries: 0 },
    });
    const dropUpdates: Partial<InProcessNode> = {
      wrapConnection: (connection) => ({ ...forwardConnection(connection), submitUpdate: async () => ({ accepted: true }) }),
    };
    const { nodes, observed } = observedNodes({ ecommerce: dropUpdates, government: dropUpdates });
    const result = await runInProcessFederation(job, nodes, { strategy: quorumOfOne });
    expect(result.report.status).toBe('failed');
    expect(result.report.failure).toMatch(/round 0.*no decryption share/);
    for (const id of IDS) {
      // The bank is refused by its floor; the others by the floor (and their acknowledged update being left out).
      expect(result.failures[id]?.message, id).toMatch(/the aggregate has 1 contributor \(bank\); this node decrypts only aggregates of at least 3/);
      expect(observed.egress[id]?.some((record) => record.method === 'SubmitDecryptionShare'), id).toBe(false);
      expect((await refusalsIn(observed.ledgers[id])), id).toMatch(/SubmitDecryptionShare: round 0 \(statistics\): the aggregate has 1 contributor/);
      expect(result.standardizations[id], id).toBeUndefined();
    }
    await rm(result.keysDirectory, { recursive: true, force: true });
  }, scaledMs(120_000));

  it('a node with a lowered floor (2 of 3) still refuses an aggregate that leaves out its acknowledged update', async () => {
    // Government's update is acknowledged, then dropped; a 2-contributor aggregate meets everyone's floor
    // of 2, but government knows its update was accepted and is not in it.
    const job = bankJob({
      jobId: 'left-out',
      federation: { participants: [...IDS], minParticipants: 2, roundDeadlineSeconds: scaledSeconds(4), joinDeadlineSeconds: 60, roundRetries: 0 },
    });
    const floorOfTwo = { privacy: { minContributors: 2, verifyAggregate: true, maxRoundRetries: 1 } };
    const { nodes, observed } = observedNodes({
      bank: floorOfTwo,
      ecommerce: floorOfTwo,
      government: {
        ...floorOfTwo,
        wrapConnection: (connection) => ({ ...forwardConnection(connection), submitUpdate: async () => ({ accepted: true }) }),
      },
    });
    const result = await runInProcessFederation(job, nodes);
    expect(result.report.status).toBe('failed');
    expect(result.failures.government?.message).toMatch(/acknowledged this node's update but leaves it out of the aggregate's contributors/);
    expect(observed.egress.government?.some((record) => record.method === 'SubmitDecryptionShare')).toBe(false);
    expect((await refusalsIn(observed.ledgers.government))).toMatch(/leaves it out/);
    await rm(result.keysDirectory, { recursive: true, force: true });
  }, scaledMs(120_000));

  it('an honest federation: every share names the c1 it decrypts; each c1 is decrypted once, by every node, for one set', async () => {
    const job = bankJob({ jobId: 'honest-floor', training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 2 } });
    const { nodes, observed } = observedNodes();
    const result = await runInProcessFederation(job, nodes);
    expect(result.report.status).toBe('finished');
    const service = loadFederationService();
    const setsByC1 = new Map<string, Set<string>>();
    for (const id of IDS) {
      let contributors = '';
      const decrypted: string[] = [];
      for (const record of observed.egress[id]?.filter((entry) => entry.method === 'SubmitDecryptionShare') ?? []) {
        const chunk = service.SubmitDecryptionShare.requestDeserialize(Buffer.from(record.bytes)) as DecryptionShareChunk__Output;
        expect(chunk.c1Sha256).toHaveLength(32);
        if (chunk.chunkIndex === 0) contributors = Buffer.from(chunk.contributorsSha256).toString('hex');
        const c1 = Buffer.from(chunk.c1Sha256).toString('hex');
        decrypted.push(c1);
        setsByC1.set(c1, (setsByC1.get(c1) ?? new Set()).add(contributors));
      }
      // statistics, training and the training round's evaluation: three aggregates of one chunk each, none twice
      expect(new Set(decrypted).size, id).toBe(3);
      expect(decrypted, id).toHaveLength(3);
      expect(await refusalsIn(observed.ledgers[id])).toBe('');
    }
    expect(setsByC1.size).toBe(3);
    // The job finished: every node's key share was overwritten and removed.
    for (const id of IDS) await expect(stat(result.secretShareFiles[id] as string), id).rejects.toMatchObject({ code: 'ENOENT' });
    for (const sets of setsByC1.values()) expect(sets.size).toBe(1);
    expect(result.report.rounds.map((round) => round.contributors.length)).toEqual([3, 3]);
    await rm(result.keysDirectory, { recursive: true, force: true });
  }, scaledMs(120_000));

  it('sampled verification (2 of 5 chunks per aggregate): an honest round passes fetching 2 chunks per contributor; a substituted aggregate is caught by every node', async () => {
    // 62 inputs x 512 hidden units + biases + output: 32,769 parameters (+2 travelling values), 5 ciphertexts.
    const wide = { kind: 'sequential' as const, hiddenLayers: [{ type: 'dense' as const, units: 512, activation: 'relu' as const }] };
    const sample = { privacy: { verifyAggregate: true, verificationSampleChunks: 2, maxRoundRetries: 1 } };
    const honestJob = bankJob({ jobId: 'sampled', model: wide, training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 3 } });
    const honest = observedNodes({ bank: sample, ecommerce: sample, government: sample });
    const passed = await runInProcessFederation(honestJob, honest.nodes);
    expect(passed.report.status).toBe('finished');
    const service = loadFederationService();
    const trainingFetch = honest.observed.egress.bank
      ?.filter((record) => record.method === 'FetchContributions')
      .map((record) => service.FetchContributions.requestDeserialize(Buffer.from(record.bytes)) as FetchAggregateRequest__Output)
      .find((request) => request.kind === 'ROUND_KIND_TRAINING');
    expect(trainingFetch?.chunkIndices).toHaveLength(2);
    await rm(passed.keysDirectory, { recursive: true, force: true });

    // In the 5-chunk training round the coordinator serves the bank's update (every chunk of it) as "the aggregate" of all three.
    const substituting: FederatedStrategy = {
      ...federatedAveraging,
      createAggregator: (session, layout, options) => {
        const aggregator = federatedAveraging.createAggregator(session, layout, options);
        if (layout.chunkCount < 5) return aggregator; // honest for the 1-chunk statistics and evaluation aggregates
        const bankChunks: Uint8Array[] = [];
        const begin = aggregator.begin.bind(aggregator);
        aggregator.begin = (participantId, weight) => {
          const contribution = begin(participantId, weight);
          return { ...contribution, accept: (index, bytes) => (participantId === 'bank' && bankChunks.push(bytes), contribution.accept(index, bytes)) };
        };
        const finalize = aggregator.finalize.bind(aggregator);
        aggregator.finalize = () => ({ ...finalize(), chunks: [...bankChunks] });
        return aggregator;
      },
    };
    const attacked = observedNodes({ bank: sample, ecommerce: sample, government: sample });
    const attackJob = bankJob({ ...honestJob, jobId: 'sampled-attack', federation: { participants: [...IDS], minParticipants: 3, roundRetries: 0, roundDeadlineSeconds: scaledSeconds(5), joinDeadlineSeconds: 60 } });
    const result = await runInProcessFederation(attackJob, attacked.nodes, { strategy: substituting });
    expect(result.report.status).toBe('failed');
    for (const id of IDS) {
      expect(result.failures[id]?.message, id).toMatch(/round 1 \(training\): the aggregate is not the sum of the signed contributions \(chunk \d\)/);
      // Round 0 was honest and decrypted; nothing of round 1 was.
      const sharedRounds = attacked.observed.egress[id]
        ?.filter((record) => record.method === 'SubmitDecryptionShare')
        .map((record) => (service.SubmitDecryptionShare.requestDeserialize(Buffer.from(record.bytes)) as DecryptionShareChunk__Output).round);
      expect(new Set(sharedRounds), id).toEqual(new Set([0]));
    }
    await rm(result.keysDirectory, { recursive: true, force: true });
  }, scaledMs(180_000));
});
