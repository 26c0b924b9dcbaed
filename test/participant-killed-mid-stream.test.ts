import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobReport } from '../coordinator/coordinator.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { flattenWeights } from '../participant/model/flatten-weights.js';
import { initializeTfBackend } from '../participant/model/initialize-tf-backend.js';
import { loadModel } from '../participant/model/load-model.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { bankJob, writeBankSlices } from './support/bank-slices.js';
import { replayPlainFederatedAveraging } from './support/replay-plain-federated-averaging.js';
import { startHefl, waitForReadyFile } from './support/run-hefl.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const VICTIM = fileURLToPath(new URL('./support/participant-killed-mid-stream.ts', import.meta.url));
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!bankMarketingDataAvailable)('kill -9 of a participant in the middle of streaming its update', () => {
  it('completes the round with the others (quorum met), and the aggregate is the plaintext FedAvg of the updates that arrived whole', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-kill-'));
    directories.push(directory);
    const slices = await writeBankSlices(join(directory, 'data'), 250, 100);
    // Quorum needs single-key custody: N-of-N threshold decryption cannot lose a party.
    const job = bankJob({
      jobId: 'kill-mid-stream',
      custody: { mode: 'single-key' },
      model: { kind: 'sequential', hiddenLayers: [{ type: 'dense', units: 256, activation: 'relu' }] },
      training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 11 },
      federation: { participants: ['bank', 'ecommerce', 'government'], minParticipants: 2, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
    });
    const jobFile = join(directory, 'job.json');
    await writeFile(jobFile, JSON.stringify(job));
    const keys = await initFederationKeys(job, join(directory, 'keys'));
    const ready = join(directory, 'ready');
    const report = join(directory, 'report.json');
    const coordinator = startHefl(['coordinator', '--job', jobFile, '--keys', keys.coordinator, '--port', '0', '--ready-file', ready, '--report', report], scaledMs(120_000));
    const address = await waitForReadyFile(ready, coordinator);
    const survivors = ['bank', 'ecommerce'].map(async (id) => {
      const config = join(directory, `${id}.json`);
      await writeFile(config, JSON.stringify({ participantId: id, jobId: job.jobId, coordinator: address, dataCsv: slices.files[id as 'bank'], keysDir: keys.participants[id], outputDir: join(directory, 'out', id) }));
      return startHefl(['participant', '--config', config], scaledMs(120_000)).done;
    });
    const victimConfig = join(directory, 'victim.json');
    await writeFile(victimConfig, JSON.stringify({ participantId: 'government', jobId: job.jobId, address, dataCsv: slices.files.government, keysDir: keys.participants.government, killRound: 1, chunksBeforeKill: 2 }));
    const victim = spawn(process.execPath, ['--import', 'tsx', VICTIM, victimConfig], { stdio: ['ignore', 'ignore', 'pipe'] });
    let victimLog = '';
    victim.stderr?.setEncoding('utf8').on('data', (text: string) => (victimLog += text));
    // 'close', not 'exit': the victim's last stderr line may still be in the pipe when it dies.
    const victimExit = new Promise<NodeJS.Signals | null>((resolve) => victim.once('close', (_code: number | null, signal: NodeJS.Signals | null) => resolve(signal)));

    expect(await victimExit).toBe('SIGKILL');
    expect(victimLog).toMatch(/killing myself after 2 of 3 chunks/);
    const [bank, ecommerce] = await Promise.all(survivors);
    expect(bank?.code, bank?.stderr).toBe(0);
    expect(ecommerce?.code).toBe(0);
    expect((await coordinator.done).code).toBe(0);
    const jobReport = JSON.parse(await readFile(report, 'utf8')) as JobReport;
    expect(jobReport.rounds.map((round) => round.contributors)).toEqual([
      ['bank', 'ecommerce', 'government'],
      ['bank', 'ecommerce'],
    ]);

    await initializeTfBackend();
    const model = await loadModel(join(directory, 'out', 'bank', 'model'));
    const federated = flattenWeights(model);
    model.dispose();
    const preprocessing = JSON.parse(await readFile(join(directory, 'out', 'bank', 'model', 'preprocessing.json'), 'utf8')) as { numericMeans: number[]; numericStds: number[] };
    const reference = await replayPlainFederatedAveraging(job, [slices.files.bank, slices.files.ecommerce], {
      means: Float64Array.from(preprocessing.numericMeans),
      stds: Float64Array.from(preprocessing.numericStds),
    });
    const maxError = reference.reduce((max, value, index) => Math.max(max, Math.abs(value - (federated[index] as number))), 0);
    expect(maxError).toBeLessThan(1e-5);
  }, scaledMs(150_000));
});
