import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { launchLocalFederation, type LocalFederationResult } from '../examples/local-federation/launch-local-federation.js';
import { buildModel } from '../participant/model/build-model.js';
import { flattenWeights } from '../participant/model/flatten-weights.js';
import { initialWeights } from '../participant/model/initial-weights.js';
import { initializeTfBackend } from '../participant/model/initialize-tf-backend.js';
import { loadModel } from '../participant/model/load-model.js';
import { featureWidth } from '../protocols/data/feature-width.js';
import { bankJob, writeBankSlices } from './support/bank-slices.js';
import { runHefl } from './support/run-hefl.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { provisionFederation } from '../provisioning/provision-federation.js';
import { scaledMs } from './support/time-scale.js';
import type { PartnerGain } from '../participant/compare-with-local-only.js';
import { PROTOCOL_VERSION } from '../protocols/wire/federation-messages.js';

const job = bankJob({ jobId: 'process-test' });
let directory: string;
let result: LocalFederationResult;
const table: string[] = [];

describe.skipIf(!bankMarketingDataAvailable)('coordinator + 3 participant processes over gRPC with mutual TLS on 127.0.0.1', () => {
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-processes-'));
    const slices = await writeBankSlices(join(directory, 'data'), 600, 400);
    result = await launchLocalFederation({
      workDirectory: join(directory, 'federation'),
      job,
      nodes: [
        // The bank also trains a local-only model after the job and writes partner-gain.json.
        { participantId: 'bank', dataCsv: slices.files.bank, evaluationCsv: slices.testFile, compareWithLocalOnly: true },
        { participantId: 'ecommerce', dataCsv: slices.files.ecommerce },
        { participantId: 'government', dataCsv: slices.files.government },
      ],
      onCoordinatorLine: (line) => table.push(line),
      timeoutMs: scaledMs(150_000),
      mutualTls: true,
      coordinatorArgs: ['--report-dir', join(directory, 'report')],
    });
  }, scaledMs(180_000));

  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('runs the statistics round and two training rounds with every process exiting 0', () => {
    expect(result.coordinatorExitCode).toBe(0);
    expect(result.participantExitCodes).toEqual({ bank: 0, ecommerce: 0, government: 0 });
    expect(result.report.status).toBe('finished');
    expect(result.report.rounds.map((round) => [round.round, round.kind, round.contributors.length])).toEqual([
      [0, 'statistics', 3],
      [1, 'training', 3],
      [2, 'training', 3],
    ]);
    expect(table.some((line) => /^\s+2\s+training\s+3\s/.test(line))).toBe(true);
  });

  it('reports a finite held-out AUC and encrypted traffic for each training round', () => {
    for (const round of result.report.rounds.filter((entry) => entry.kind === 'training')) {
      expect(round.heldOutAuc).not.toBeNull();
      expect(Number.isFinite(round.heldOutAuc)).toBe(true);
      expect(round.heldOutAuc as number).toBeGreaterThanOrEqual(0);
      expect(round.heldOutAuc as number).toBeLessThanOrEqual(1);
      expect(round.evaluationCount).toBe(400);
      // At least one ciphertext (hundreds of KB) per participant: the update was not sent in clear.
      expect(round.bytesReceived).toBeGreaterThan(3 * 100_000);
    }
  });

  it('gives every participant the same new global model, different from the initial one', async () => {
    await initializeTfBackend();
    const models = await Promise.all(
      ['bank', 'ecommerce', 'government'].map((id) => loadModel(join(result.outputDirectories[id] as string, 'model'))),
    );
    const weights = models.map((model) => flattenWeights(model));
    for (const model of models) model.dispose();
    expect(Array.from(weights[1] ?? [])).toEqual(Array.from(weights[0] ?? []));
    expect(Array.from(weights[2] ?? [])).toEqual(Array.from(weights[0] ?? []));
    const fresh = buildModel(job.model, featureWidth(job.features));
    const initial = initialWeights(fresh, job.training.seed);
    fresh.dispose();
    const moved = (weights[0] ?? new Float32Array()).reduce((sum, value, index) => sum + Math.abs(value - (initial[index] ?? 0)), 0);
    expect(moved).toBeGreaterThan(1e-3);
  });

  it('the bank writes partner-gain.json (federated vs local-only) in its own folder; the report folder has rounds.csv, hyper-parameters and versions', async () => {
    const gain = JSON.parse(await readFile(join(result.outputDirectories.bank as string, 'partner-gain.json'), 'utf8')) as PartnerGain;
    expect(gain.evaluationRows).toBe(400);
    expect(gain.localOnly.epochs).toBe(job.training.rounds * job.training.localEpochs);
    for (const value of [gain.federated.auc, gain.localOnly.auc, gain.gain.auc, gain.federated.loss, gain.localOnly.loss]) expect(Number.isFinite(value)).toBe(true);
    // The bank alone holds evaluation rows: its federated AUC is the federation's held-out AUC of the final model.
    expect(gain.federated.auc).toBeCloseTo(result.report.rounds.at(-1)?.heldOutAuc as number, 2);
    await expect(readFile(join(result.outputDirectories.ecommerce as string, 'partner-gain.json'))).rejects.toThrow(/ENOENT/);
    const csv = (await readFile(join(directory, 'report', 'rounds.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toBe('round,kind,participants,mean_local_loss,held_out_auc,bytes_received,seconds');
    expect(result.report.hyperParameters.training).toEqual(job.training);
    expect(result.report.versions.protocol).toBe(PROTOCOL_VERSION);
    expect(await readFile(join(directory, 'report', 'model-card.md'), 'utf8')).toContain(`wire protocol ${PROTOCOL_VERSION}`);
  });

  it('lists every message a participant sent in its egress log', async () => {
    const lines = (await readFile(join(result.outputDirectories.bank as string, 'egress.jsonl'), 'utf8')).trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as { messageType: string; size: number; sha256: string }).map((entry) => ({ ...entry, method: entry.messageType }));
    // Threshold custody (the default): the four key-setup values, and per aggregate (statistics, each
    // training round and its evaluation) one update, one verification fetch and one partial decryption.
    // No metric leaves in the clear: there is no ReportEvaluation.
    expect(new Set(entries.map((entry) => entry.method))).toEqual(
      new Set(['Join', 'SubmitKeySetup', 'SubmitUpdate', 'FetchAggregate', 'FetchContributions', 'SubmitDecryptionShare', 'FetchDecryptedAggregate']),
    );
    expect(entries.filter((entry) => entry.method === 'SubmitKeySetup')).toHaveLength(4);
    expect(entries.filter((entry) => entry.method === 'SubmitUpdate')).toHaveLength(5);
    expect(entries.filter((entry) => entry.method === 'SubmitDecryptionShare')).toHaveLength(5);
    for (const entry of entries) expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('`hefl audit verify` accepts the signed ledgers, and names a tampered record', async () => {
    const roster = join(directory, 'federation', 'keys', 'coordinator', 'keys.json');
    const ledgers = ['bank', 'ecommerce', 'government'].map((id) => join(result.outputDirectories[id] as string, 'egress.jsonl'));
    const report = join(directory, 'audit.md');
    const ingress = join(directory, 'federation', 'coordinator-ingress.jsonl');
    const intact = await runHefl(['audit', 'verify', '--roster', roster, '--report', report, ...ledgers, ingress]);
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/bank: VERIFIED/);
    expect(intact.stdout).toMatch(/coordinator: VERIFIED/);
    expect(intact.stdout).toMatch(/bank -> coordinator: (\d+) of \1 sent messages found in the ingress ledger/);
    expect(await readFile(report, 'utf8')).toContain('every ledger verifies');

    const lines = (await readFile(ledgers[0] as string, 'utf8')).trim().split('\n');
    const edited = JSON.parse(lines[3] as string) as { size: number };
    edited.size += 1;
    lines[3] = JSON.stringify(edited);
    const tampered = join(directory, 'tampered.jsonl');
    await writeFile(tampered, `${lines.join('\n')}\n`);
    const caught = await runHefl(['audit', 'verify', '--roster', roster, tampered, ledgers[1] as string]);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toMatch(/line 4: record #3 was edited/);
  });

  it('an auditor verifies every ledger from the auditor kit alone, and a kit of another federation does not vouch for them', async () => {
    const kits = result.kits as Record<string, string>;
    const ledgers = ['bank', 'ecommerce', 'government'].map((id) => join(result.outputDirectories[id] as string, 'egress.jsonl'));
    const ingress = join(directory, 'federation', 'coordinator-ingress.jsonl');
    const report = join(directory, 'audit-kit.md');
    const audited = await runHefl(['audit', 'verify', '--kit', kits.auditor as string, '--report', report, ...ledgers, ingress]);
    expect(audited.code, audited.stdout + audited.stderr).toBe(0);
    for (const id of ['bank', 'ecommerce', 'government', 'coordinator']) expect(audited.stdout).toMatch(new RegExp(`${id}: VERIFIED`));
    expect(audited.stdout).toMatch(/government -> coordinator: (\d+) of \1 sent messages found in the ingress ledger/);
    // The coordinator's ledger also records what it sent: events, aggregates (ciphertexts only) and the published decrypted sum.
    const coordinatorRecords = (await readFile(ingress, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { direction: string; messageType: string; classification: string });
    const sent = coordinatorRecords.filter((record) => record.direction === 'egress');
    expect(new Set(sent.filter((record) => record.messageType === 'FetchAggregate').map((record) => record.classification))).toEqual(new Set(['ciphertext']));
    expect(new Set(sent.filter((record) => record.messageType === 'FetchDecryptedAggregate').map((record) => record.classification))).toEqual(new Set(['aggregate']));
    expect(sent.filter((record) => record.messageType === 'Join').length).toBeGreaterThan(3 * 6);
    expect(sent.some((record) => record.classification === 'refused')).toBe(false);
    expect(audited.stdout).toMatch(/sent FetchAggregate \(ciphertext\): \d+ messages/);
    const markdown = await readFile(report, 'utf8');
    expect(markdown).toMatch(/# HEFL audit report: federation local/);
    expect(markdown).toMatch(/ledger keys from the CA-signed manifest/);

    // Another federation's auditor kit pins other ledger keys: the signatures do not verify under it.
    const otherKeys = await initFederationKeys(job, join(directory, 'other-keys'));
    const otherRoster = (await readCoordinatorKeys(otherKeys.coordinator)).manifest.identities ?? {};
    const other = await provisionFederation(
      { federationId: 'other', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank', 'ecommerce', 'government'], ckks: job.ckks },
      join(directory, 'other-kits'),
      { ledgerKeys: otherRoster },
    );
    const refused = await runHefl(['audit', 'verify', '--kit', other.kits.auditor as string, ledgers[0] as string]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/bank: FAILED .*record #0 is not signed by bank's identity key/);
  });
});
