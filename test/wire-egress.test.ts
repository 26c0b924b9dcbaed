import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import type { UpdateChunk__Output } from '../proto/generated/hefl/v1/UpdateChunk.js';
import { loadFederationService } from '../proto/load-federation-service.js';
import type { EgressRecord } from '../participant/federation-connection.js';
import { CkksSession, liveSealHandleCount } from '../protocols/ckks/ckks-session.js';
import { initializeTfBackend } from '../participant/model/initialize-tf-backend.js';
import { bankJob, writeBankSlices, type BankSlices } from './support/bank-slices.js';
import { runInProcessFederation, type InProcessResult } from './support/in-process-federation.js';
import { RecordingProxy } from './support/recording-proxy.js';
import { scaledMs } from './support/time-scale.js';

// Single-key custody: each node decrypts, and reports the federation's (never its own) evaluation.
const SINGLE_KEY_METHODS = ['Join', 'SubmitUpdate', 'FetchAggregate', 'ReportEvaluation'];
// Threshold custody: no metrics in the clear at all; every aggregate is verified, then jointly decrypted.
const THRESHOLD_METHODS = ['Join', 'SubmitUpdate', 'FetchAggregate', 'SubmitKeySetup', 'SubmitDecryptionShare', 'FetchDecryptedAggregate', 'FetchContributions'];

describe.skipIf(!bankMarketingDataAvailable).each([
  { custody: 'threshold' as const, methods: THRESHOLD_METHODS },
  { custody: 'single-key' as const, methods: SINGLE_KEY_METHODS },
])('what leaves a participant ($custody custody, in-process federation over loopback gRPC)', ({ custody, methods }) => {
  const job = bankJob({ jobId: 'wire-test', custody: { mode: custody } });
  let directory: string;
  let slices: BankSlices;
  let result: InProcessResult;
  const egress: EgressRecord[] = [];
  const proxy = new RecordingProxy();
  const before = { tensors: 0, sealHandles: 0 };
  const after = { tensors: 0, sealHandles: 0 };

  beforeAll(async () => {
    await initializeTfBackend();
    before.tensors = tf.memory().numTensors;
    before.sealHandles = liveSealHandleCount();
    directory = await mkdtemp(join(tmpdir(), 'hefl-wire-'));
    slices = await writeBankSlices(directory, 400, 300);
    result = await runInProcessFederation(job, [
      {
        participantId: 'bank',
        dataCsv: slices.files.bank,
        evaluationCsv: slices.testFile,
        viaAddress: (coordinator) => proxy.start(coordinator),
        onEgress: (record) => egress.push(record),
        keepSecretShare: true, // read back below: it never went on the wire
      },
      { participantId: 'ecommerce', dataCsv: slices.files.ecommerce },
      { participantId: 'government', dataCsv: slices.files.government },
    ]);
    after.tensors = tf.memory().numTensors;
    after.sealHandles = liveSealHandleCount();
  }, scaledMs(120_000));

  afterAll(async () => {
    await proxy.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
    if (result) await rm(result.keysDirectory, { recursive: true, force: true });
  });

  it('finishes the job and every participant ends with the same global model', () => {
    expect(result.report.status).toBe('finished');
    const [first, ...rest] = Object.values(result.outcomes);
    for (const outcome of rest) expect(Array.from(outcome.finalWeights)).toEqual(Array.from(first?.finalWeights ?? []));
  });

  it('sends only the four protocol messages, and every update payload is a SEAL ciphertext under the job parameters', async () => {
    expect(new Set(egress.map((record) => record.method))).toEqual(new Set(methods));
    const service = loadFederationService();
    const updates = egress.filter((record) => record.method === 'SubmitUpdate');
    // One statistics update, and per training round its update and its evaluation: one ciphertext each.
    expect(updates).toHaveLength(1 + 2 * job.training.rounds);
    const publicOnly = await CkksSession.create(job.ckks);
    try {
      for (const record of updates) {
        const chunk = service.SubmitUpdate.requestDeserialize(Buffer.from(record.bytes)) as UpdateChunk__Output;
        const ciphertext = publicOnly.loadCiphertext(chunk.ciphertext, `recorded chunk of round ${chunk.round}`);
        expect(ciphertext.size()).toBe(2);
        publicOnly.release(ciphertext);
        // The only plaintext beside the ciphertext is the bounded metadata.
        // (Protocol 3: no sample count or loss in the clear; they are inside the ciphertext.)
        expect(Object.keys(chunk.metadata ?? {}).sort()).toEqual(['chunkCount', 'kind', 'vectorLength']);
      }
    } finally {
      publicOnly.dispose();
    }
  });

  it('puts none of the participant\'s raw feature values on the wire', () => {
    const wire = proxy.clientBytes();
    const recorded = egress.reduce((total, record) => total + record.bytes.length, 0);
    expect(wire.length).toBeGreaterThan(recorded); // the proxy saw every message (plus HTTP/2 framing)
    const header = slices.table.header;
    const numericColumns = job.features.numeric.map((name) => header.indexOf(name));
    const categoricalColumns = job.features.categorical.map((column) => header.indexOf(column.name));
    let probes = 0;
    for (const row of slices.rows.bank) {
      const numbers = numericColumns.map((index) => Number(row[index]));
      expect(wire.indexOf(Buffer.from(new Float64Array(numbers).buffer))).toBe(-1);
      expect(wire.indexOf(Buffer.from(new Float32Array(numbers).buffer))).toBe(-1);
      expect(wire.indexOf(Buffer.from(row.join(';')))).toBe(-1);
      expect(wire.indexOf(Buffer.from(numericColumns.map((index) => row[index]).join(';')))).toBe(-1);
      probes += 4;
    }
    // Category values are words no protocol message contains; none may appear.
    const categories = new Set(slices.rows.bank.flatMap((row) => categoricalColumns.map((index) => row[index] as string)));
    for (const category of categories) if (category.length >= 5) expect(wire.indexOf(Buffer.from(category)), category).toBe(-1);
    expect(probes).toBeGreaterThan(1_000);
  });

  it.runIf(custody === 'threshold')('never sends the secret key share', async () => {
    const share = await readFile(result.secretShareFiles.bank as string);
    expect(share.length).toBeGreaterThan(1_000);
    const wire = proxy.clientBytes();
    // Any 64-byte window of the share file would give it away; none may appear.
    for (let offset = 0; offset + 64 <= share.length; offset += 4_096) expect(wire.indexOf(share.subarray(offset, offset + 64))).toBe(-1);
    expect((await stat(result.secretShareFiles.bank as string)).mode & 0o077).toBe(0);
  });

  it('returns live SEAL handles and tfjs tensors to their starting counts', () => {
    expect(after.sealHandles).toBe(before.sealHandles);
    expect(after.tensors).toBe(before.tensors);
  });
});
