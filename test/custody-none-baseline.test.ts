import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { launchLocalFederation } from '../examples/local-federation/launch-local-federation.js';
import { EVALUATION_VALUES } from '../protocols/data/evaluation-counts.js';
import { bankJob, writeBankSlices } from './support/bank-slices.js';
import { compareSavedModelWithPlainFedAvg } from './support/compare-saved-model-with-plain-fedavg.js';
import { runHefl } from './support/run-hefl.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const directories: string[] = [];
const IDS = ['bank', 'ecommerce', 'government'] as const;

/**
 * Custody none switches HE off: the benchmark baseline ("the same round through the same code"). It
 * must compute plain FedAvg, need every node's consent, and never pass an audit.
 */
describe.skipIf(!bankMarketingDataAvailable)('custody none (HE switched off, the benchmark baseline)', () => {
  afterAll(async () => {
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  it('runs plain FedAvg over float32 through the same processes, is marked plaintext in every ledger, and fails the audit', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-custody-none-'));
    directories.push(directory);
    const slices = await writeBankSlices(join(directory, 'data'), 400, 200);
    const job = bankJob({ jobId: 'none-baseline', custody: { mode: 'none' }, training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 5 } });
    const result = await launchLocalFederation({
      workDirectory: join(directory, 'federation'),
      job,
      nodes: IDS.map((participantId) => ({ participantId, dataCsv: slices.files[participantId], ...(participantId === 'bank' ? { evaluationCsv: slices.testFile } : {}) })),
      allowUnencryptedUpdates: true,
      keepPayloads: true,
      timeoutMs: scaledMs(100_000),
    });
    expect(result.coordinatorExitCode).toBe(0);
    expect(result.participantExitCodes).toEqual({ bank: 0, ecommerce: 0, government: 0 });
    expect(result.report.keyCustody).toBe('none');
    // float32 on the wire: 4 bytes per value, no ciphertext (the update with its 2 extra values, and the evaluation counts).
    const training = result.report.rounds.at(-1);
    expect(training?.bytesReceived).toBeLessThan(3 * ((result.report.modelParameters + 2 + EVALUATION_VALUES) * 4 + 8_000));

    const { maxError } = await compareSavedModelWithPlainFedAvg(job, result.outputDirectories.bank as string, IDS.map((id) => slices.files[id]));
    expect(maxError).toBeLessThan(1e-5);

    const ledger = (await readFile(join(result.outputDirectories.bank as string, 'egress.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { messageType: string; classification: string });
    const updates = ledger.filter((record) => record.messageType === 'SubmitUpdate');
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((record) => record.classification === 'plaintext')).toBe(true);

    const roster = join(directory, 'federation', 'keys', 'coordinator', 'keys.json');
    const ledgers = IDS.map((id) => join(result.outputDirectories[id] as string, 'egress.jsonl'));
    const audit = await runHefl(['audit', 'verify', '--roster', roster, ...ledgers, join(directory, 'federation', 'coordinator-ingress.jsonl')]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(1);
    expect(audit.stdout).toMatch(/an UNENCRYPTED update left bank \(custody none\)/);
    expect(audit.stdout).toMatch(/the coordinator received an UNENCRYPTED update from government/);
    expect(audit.stdout).toMatch(/verdict: FAILED/);
  }, scaledMs(150_000));

  it('a participant that did not allow unencrypted updates refuses the job before anything leaves in the clear', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-custody-none-refused-'));
    directories.push(directory);
    const slices = await writeBankSlices(join(directory, 'data'), 200, 100);
    const job = bankJob({
      jobId: 'none-refused',
      custody: { mode: 'none' },
      // The coordinator gives up at the join deadline; every participant must have joined (and refused) by then.
      federation: { participants: [...IDS], minParticipants: 3, roundDeadlineSeconds: scaledSeconds(10), joinDeadlineSeconds: scaledSeconds(10) },
    });
    const result = await launchLocalFederation({
      workDirectory: join(directory, 'federation'),
      job,
      nodes: IDS.map((participantId) => ({ participantId, dataCsv: slices.files[participantId] })),
      timeoutMs: scaledMs(60_000),
    });
    expect(result.report.status).not.toBe('finished');
    for (const id of IDS) {
      expect(result.participantExitCodes[id]).not.toBe(0);
      const log = await readFile(join(result.logDirectory, `${id}.log`), 'utf8');
      expect(log).toMatch(/custody \\?"none\\?": updates would leave this node unencrypted/);
      const ledger = await readFile(join(result.outputDirectories[id] as string, 'egress.jsonl'), 'utf8').catch(() => '');
      expect(ledger).not.toMatch(/"messageType":"SubmitUpdate"/);
    }
  }, scaledMs(90_000));
});
