import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import type { EgressRecord } from '../participant/federation-connection.js';
import { ciphertextProbe } from '../protocols/ckks/ciphertext-probe.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { classifyEgress } from '../protocols/ledger/classify-egress.js';
import { bankJob, writeParticipantSlices } from './support/bank-slices.js';
import { runInProcessFederation } from './support/in-process-federation.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!bankMarketingDataAvailable)('t-of-N custody in one process (real SEAL, real gRPC), N = 5, t = 3', () => {
  it('reshares at key setup (sealed shares, 0600 share files, cover check) and each round only the committee of 3 decrypts', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-tofn-inproc-'));
    directories.push(directory);
    const { ids, files } = await writeParticipantSlices(join(directory, 'data'), 5, 120);
    const job = bankJob({
      jobId: 'tofn-inproc',
      training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 7 },
      custody: { mode: 'threshold', threshold: 3 },
      federation: { participants: ids, minParticipants: 3, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
    });
    const egress: Record<string, EgressRecord[]> = Object.fromEntries(ids.map((id) => [id, []]));
    const started = performance.now();
    const result = await runInProcessFederation(
      job,
      ids.map((participantId) => ({ participantId, dataCsv: files[participantId] as string, keepSecretShare: true, onEgress: (record: EgressRecord) => egress[participantId]?.push(record) })),
    );
    console.info(`t-of-N in-process federation, N=5 t=3, ${job.training.rounds} round: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(result.failures).toEqual({});
    expect(result.report.rounds.length).toBeGreaterThan(0);
    for (const id of ids) {
      const info = await stat(`${result.secretShareFiles[id]}.t-of-n`);
      expect(info.mode & 0o777).toBe(0o600);
    }
    // Every message that left a node passes the egress guard's classification (what the CLI enforces).
    const session = await CkksSession.create(job.ckks);
    try {
      const context = { parameters: job.ckks, isCiphertext: ciphertextProbe(session, 'egress') };
      for (const id of ids) {
        for (const record of egress[id] ?? []) {
          const verdict = classifyEgress(record.method, record.bytes, context);
          expect('refused' in verdict ? `${id} ${record.method}: ${verdict.refused}` : 'ok').toBe('ok');
        }
      }
    } finally {
      session.dispose();
    }
    // The committee is the first 3 connected in sorted order: p4 and p5 released no round share.
    const decryptionShares = (id: string) => (egress[id] ?? []).filter((record) => record.method === 'SubmitDecryptionShare').length;
    expect(ids.map(decryptionShares).map((count) => count > 0)).toEqual([true, true, true, false, false]);
  }, scaledMs(240_000));
});
