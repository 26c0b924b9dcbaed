import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import type { EgressRecord } from '../participant/federation-connection.js';
import { ciphertextProbe } from '../protocols/ckks/ciphertext-probe.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { classifyEgress } from '../protocols/ledger/classify-egress.js';
import type { FederationConnection } from '../participant/federation-connection.js';
import type { CoordinatorEvent } from '../protocols/wire/federation-messages.js';
import { bankJob, writeParticipantSlices } from './support/bank-slices.js';
import { forwardConnection } from './support/forward-connection.js';
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

  it('a coordinator naming a committee of 2, with a repeated id or with a stranger: each member refuses, no partial decryption leaves', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-tofn-forged-'));
    directories.push(directory);
    const { ids, files } = await writeParticipantSlices(join(directory, 'data'), 5, 60);
    const job = bankJob({
      jobId: 'tofn-forged',
      training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 7 },
      custody: { mode: 'threshold', threshold: 3 },
      federation: { participants: ids, minParticipants: 3, roundRetries: 0, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
    });
    const forged: Record<string, string[]> = { p1: ['p1', 'p2'], p2: ['p2', 'p2', 'p3'], p3: ['p1', 'p3', 'mallory'] };
    const forge = (participantId: string) => (connection: FederationConnection): FederationConnection => ({
      ...forwardConnection(connection),
      join: (request) =>
        (async function* (): AsyncGenerator<CoordinatorEvent> {
          for await (const event of connection.join(request)) {
            yield event.type === 'decryption-requested' && forged[participantId] ? { ...event, committee: forged[participantId] } : event;
          }
        })(),
    });
    const refusals: Record<string, string[]> = Object.fromEntries(ids.map((id) => [id, []]));
    const shares: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
    const result = await runInProcessFederation(
      job,
      ids.map((participantId) => ({
        participantId,
        dataCsv: files[participantId] as string,
        wrapConnection: forge(participantId),
        onRefusal: (_type: string, reason: string) => refusals[participantId]?.push(reason),
        onEgress: (record: EgressRecord) => {
          if (record.method === 'SubmitDecryptionShare') shares[participantId] = (shares[participantId] ?? 0) + 1;
        },
      })),
    );
    expect(result.report.rounds).toHaveLength(0);
    expect(refusals.p1?.[0]).toMatch(/the committee has 2 members; exactly t = 3 are required/);
    expect(refusals.p2?.[0]).toMatch(/the committee names p2 twice/);
    expect(refusals.p3?.[0]).toMatch(/committee members mallory are not on the roster/);
    // p4 and p5 were told the real committee (p1, p2, p3), which they are not on.
    expect(refusals.p4).toEqual([]);
    expect(shares).toEqual({ p1: 0, p2: 0, p3: 0, p4: 0, p5: 0 });
  }, scaledMs(240_000));
});
