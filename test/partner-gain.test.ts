import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../coordinator/coordinator.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import type { PartnerGain } from '../participant/compare-with-local-only.js';
import { EgressGuard } from '../participant/egress-guard.js';
import type { FederationConnection } from '../participant/federation-connection.js';
import { initializeTfBackend } from '../participant/model/initialize-tf-backend.js';
import { Participant } from '../participant/participant.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { PROTOCOL_VERSION } from '../protocols/wire/federation-messages.js';
import { writeTrainingReport } from '../reporting/write-training-report.js';
import { bankJob, writeBankSlices } from './support/bank-slices.js';
import { forwardConnection } from './support/forward-connection.js';
import { InMemoryFederationConnection } from './support/in-memory-connection.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

/** Notes how long the ledger was when `job-finished` arrived: the comparison runs after it. */
function noteLedgerAtJobFinished(connection: FederationConnection, ledger: LedgerWriter, noted: { records?: number }): FederationConnection {
  return {
    ...forwardConnection(connection),
    join: async function* (request) {
      for await (const event of connection.join(request)) {
        if (event.type === 'job-finished') noted.records = ledger.head().records;
        yield event;
      }
    },
  };
}

describe.skipIf(!bankMarketingDataAvailable)('compareWithLocalOnly: what the federation bought a partner (in-memory federation)', () => {
  it('writes partner-gain.json with finite AUCs, sends nothing more, and the job report has hyper-parameters, versions and rounds.csv', async () => {
    await initializeTfBackend();
    const directory = await mkdtemp(join(tmpdir(), 'hefl-partner-gain-'));
    directories.push(directory);
    const slices = await writeBankSlices(join(directory, 'data'), 250, 300);
    const job = bankJob({
      jobId: 'partner-gain',
      training: { rounds: 2, localEpochs: 2, batchSize: 32, learningRate: 0.05, optimizer: 'adam', seed: 7 },
      federation: { participants: ['bank', 'ecommerce'], minParticipants: 2, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
    });
    const folders = await initFederationKeys(job, join(directory, 'keys'));
    const coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(folders.coordinator) });
    const before = tf.memory().numTensors;
    const running = coordinator.run();

    // The bank runs as the CLI runs it: every outgoing message through the egress guard into its signed ledger.
    const bankKeys = await readParticipantKeys(folders.participants.bank as string);
    const ledgerFile = join(directory, 'bank-output', 'egress.jsonl');
    const ledger = new LedgerWriter(ledgerFile, 'bank', bankKeys.identityKey as NonNullable<typeof bankKeys.identityKey>);
    using guard = await EgressGuard.create(ledger, job.ckks);
    const noted: { records?: number } = {};
    const gainFile = join(directory, 'bank-output', 'partner-gain.json');
    const bank = new Participant({
      participantId: 'bank',
      jobId: job.jobId,
      dataCsv: slices.files.bank,
      evaluationCsv: slices.testFile,
      keys: bankKeys,
      connection: noteLedgerAtJobFinished(new InMemoryFederationConnection(coordinator, { onEgress: (record) => guard.check(record) }), ledger, noted),
      localOnlyComparisonFile: gainFile,
    });
    const ecommerce = new Participant({
      participantId: 'ecommerce',
      jobId: job.jobId,
      dataCsv: slices.files.ecommerce,
      keys: await readParticipantKeys(folders.participants.ecommerce as string),
      connection: new InMemoryFederationConnection(coordinator),
    });
    const [bankOutcome, ecommerceOutcome] = await Promise.all([bank.run(), ecommerce.run()]);
    const report = await running;
    expect(report.status).toBe('finished');
    expect(tf.memory().numTensors).toBe(before);

    // Nothing left the bank after job-finished: the comparison added no message to its ledger.
    expect(noted.records).toBeGreaterThan(0);
    expect(ledger.head().records).toBe(noted.records);
    const ledgerLines = (await readFile(ledgerFile, 'utf8')).split('\n').filter((line) => line.length > 0);
    expect(ledgerLines).toHaveLength(noted.records as number);

    const gain = JSON.parse(await readFile(gainFile, 'utf8')) as PartnerGain;
    expect(bankOutcome.partnerGain).toEqual(gain);
    expect(ecommerceOutcome.partnerGain).toBeUndefined(); // not asked for
    expect(gain).toMatchObject({ format: 'hefl-partner-gain/1', jobId: 'partner-gain', participantId: 'bank', trainingRows: 250, evaluationRows: 300 });
    expect(gain.localOnly.epochs).toBe(job.training.rounds * job.training.localEpochs);
    for (const value of [gain.federated.auc, gain.localOnly.auc, gain.federated.loss, gain.localOnly.loss, gain.gain.auc, gain.gain.loss]) expect(Number.isFinite(value)).toBe(true);
    for (const auc of [gain.federated.auc, gain.localOnly.auc]) {
      expect(auc).toBeGreaterThan(0);
      expect(auc).toBeLessThan(1);
    }
    expect(gain.gain.auc).toBeCloseTo((gain.federated.auc as number) - (gain.localOnly.auc as number), 12);
    // Only the bank has evaluation rows: the federation's own held-out AUC (from encrypted ROC counts) is the same model on the same rows.
    expect(gain.federated.auc).toBeCloseTo(report.rounds.at(-1)?.heldOutAuc as number, 2);
    // The model and its weights in force are still the federation's, untouched by the comparison.
    expect(bank.globalWeights).toEqual(bankOutcome.finalWeights);
    expect(bankOutcome.finalWeights).toEqual(ecommerceOutcome.finalWeights);

    // The coordinator's report: hyper-parameters and versions, and a report folder with rounds.csv.
    expect(report.hyperParameters).toEqual({ model: job.model, training: job.training });
    expect(report.versions.protocol).toBe(PROTOCOL_VERSION);
    expect(report.versions.node).toBe(process.versions.node);
    expect(report.versions.hefl).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.versions.nodeSeal).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.versions.tfjs).toMatch(/^\d+\.\d+\.\d+/);
    const reportDirectory = join(directory, 'report');
    await writeTrainingReport(
      reportDirectory,
      { job, rounds: report.rounds, participants: report.participants, finalAuc: report.rounds.at(-1)?.heldOutAuc ?? null, ckksParametersFingerprint: report.ckks.parametersFingerprint, generatedAt: new Date().toISOString(), versions: report.versions },
      report,
    );
    expect(await readdir(reportDirectory)).toContain('rounds.csv');
    const csv = (await readFile(join(reportDirectory, 'rounds.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv[0]).toBe('round,kind,participants,mean_local_loss,held_out_auc,bytes_received,seconds');
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 3).join(','))).toEqual(['0,statistics,2', '1,training,2', '2,training,2']);
    const written = JSON.parse(await readFile(join(reportDirectory, 'report.json'), 'utf8')) as typeof report;
    expect(written.hyperParameters.training.learningRate).toBe(job.training.learningRate);
    expect(written.versions).toEqual(report.versions);
  }, scaledMs(180_000));
});
