import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFederationService } from '../proto/load-federation-service.js';
import { EgressGuard } from '../participant/egress-guard.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { HeflError } from '../protocols/errors.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { initFederationKeys, type InitializedKeyFolders } from '../protocols/keys/init-federation-keys.js';
import { readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { toWireJoinRequest, toWireUpdateChunk } from '../protocols/wire/wire-mapping.js';
import { runHefl } from './support/run-hefl.js';
import { PROTOCOL_VERSION } from '../protocols/wire/federation-messages.js';
import { scaledMs } from './support/time-scale.js';

const job = jobSpecSchema.parse({
  jobId: 'red-team',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['age'], label: { column: 'y', positive: 'yes', negative: 'no' } },
  training: { rounds: 1 },
  federation: { participants: ['bank', 'shop'], minParticipants: 2 },
  // Single-key custody gives the test a public key to make one honest ciphertext with.
  custody: { mode: 'single-key' },
});
let directory: string;
let keys: InitializedKeyFolders;
const service = loadFederationService();
const serialize = {
  update: (ciphertext: Uint8Array) =>
    service.SubmitUpdate.requestSerialize(
      toWireUpdateChunk({
        jobId: job.jobId,
        participantId: 'bank',
        round: 1,
        chunkIndex: 0,
        ciphertext,
        metadata: { kind: 'training', vectorLength: 2, chunkCount: 1 },
      }),
    ),
  join: (participantId: string) =>
    service.Join.requestSerialize(toWireJoinRequest({ jobId: job.jobId, participantId, protocolVersion: PROTOCOL_VERSION, keyFingerprint: 'a'.repeat(64) })),
};
// What a careless or malicious modification would send: raw feature values where ciphertext belongs.
const plaintextUpdate = new Uint8Array(new Float64Array([56, 57, 41, 25, 37, 45]).buffer);
const rawCsvRow = '56;housemaid;married;basic.4y;no;no;no;telephone;may;mon;261;1;999;0;nonexistent;1.1;93.994;-36.4;4.857;5191;no';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-red-team-'));
  keys = await initFederationKeys(job, join(directory, 'keys'));
}, scaledMs(30_000));
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('red team: the egress guard and the auditor', () => {
  it('stops a plaintext update and raw CSV in a metadata field before the socket, and records the refusals', async () => {
    const bank = await readParticipantKeys(keys.participants.bank as string);
    const ledgerPath = join(directory, 'guarded', 'egress.jsonl');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(directory, 'guarded'), { recursive: true });
    const ledger = new LedgerWriter(ledgerPath, 'bank', bank.identityKey as NonNullable<typeof bank.identityKey>);
    using guard = await EgressGuard.create(ledger, job.ckks);
    const session = await CkksSession.create(job.ckks, { publicKey: bank.publicKey as Uint8Array });
    const realCiphertext = session.encryptVector([0.5, -0.25])[0] as Uint8Array;
    session.dispose();

    expect(() => guard.check({ method: 'SubmitUpdate', bytes: serialize.update(realCiphertext) })).not.toThrow();
    expect(() => guard.check({ method: 'SubmitUpdate', bytes: serialize.update(plaintextUpdate) })).toThrow(/not a SEAL ciphertext/);
    expect(() => guard.check({ method: 'Join', bytes: serialize.join(rawCsvRow) })).toThrow(HeflError);
    expect(() => guard.check({ method: 'ExportTrainingData' as never, bytes: new Uint8Array([1, 2, 3]) })).toThrow(/not a message of the HEFL protocol/);
    // CSV in an unknown protobuf field (#15, length-delimited) appended to a legitimate update.
    const row = new TextEncoder().encode(rawCsvRow);
    const hidden = Buffer.concat([Buffer.from(serialize.update(realCiphertext)), Buffer.from([(15 << 3) | 2, row.length]), Buffer.from(row)]);
    expect(() => guard.check({ method: 'SubmitUpdate', bytes: hidden })).toThrow(/outside its declared fields/);

    const records = (await readFile(ledgerPath, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { classification: string; refusalReason?: string });
    expect(records.map((record) => record.classification)).toEqual(['ciphertext', 'refused', 'refused', 'refused', 'refused']);
    expect(records[2]?.refusalReason).toMatch(/participantId/);
    const audit = await runHefl(['audit', 'verify', '--roster', join(keys.coordinator, 'keys.json'), ledgerPath]);
    expect(audit.code).toBe(0); // refusals are honest records: nothing left the node
    expect(audit.stdout).toMatch(/4 messages refused by the node's egress guard/);
  });

  it('with the guard bypassed, `hefl audit verify` flags the record from the kept payload', async () => {
    const bank = await readParticipantKeys(keys.participants.bank as string);
    const node = join(directory, 'bypassed');
    // A modified participant that writes its ledger but skips the guard, labelling everything "ciphertext".
    const ledger = new LedgerWriter(join(node, 'egress.jsonl'), 'bank', bank.identityKey as NonNullable<typeof bank.identityKey>, join(node, 'payloads'));
    ledger.recordBytes('egress', 'Join', serialize.join('bank'), 'metadata');
    ledger.recordBytes('egress', 'SubmitUpdate', serialize.update(plaintextUpdate), 'ciphertext');
    const report = join(directory, 'audit.md');
    const audit = await runHefl(['audit', 'verify', '--roster', join(keys.coordinator, 'keys.json'), '--report', report, join(node, 'egress.jsonl')]);
    expect(audit.code).toBe(1);
    // The auditor reads the kept bytes for what they are: plain numbers, not a ciphertext.
    expect(audit.stdout).toMatch(/record #1 \(SubmitUpdate\) claims "ciphertext" but its payload is "plaintext"/);
    expect(await readFile(report, 'utf8')).toMatch(/FAILED/);
  });

  it('allowPlaintextUpdates (custody none, opted in) lets only whole float32 chunks out, recorded as plaintext; nothing else changes', async () => {
    const bank = await readParticipantKeys(keys.participants.bank as string);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(directory, 'opted-in'), { recursive: true });
    const ledgerPath = join(directory, 'opted-in', 'egress.jsonl');
    const ledger = new LedgerWriter(ledgerPath, 'bank', bank.identityKey as NonNullable<typeof bank.identityKey>);
    using guard = await EgressGuard.create(ledger, job.ckks, undefined, { allowPlaintextUpdates: true });
    const float32 = new Uint8Array(new Float32Array([0.5, -0.25]).buffer);
    expect(() => guard.check({ method: 'SubmitUpdate', bytes: serialize.update(float32) })).not.toThrow();
    // More than one chunk of N values, or not whole float32s: still refused.
    expect(() => guard.check({ method: 'SubmitUpdate', bytes: serialize.update(new Uint8Array(4 * job.ckks.polyModulusDegree + 4)) })).toThrow(/not a SEAL ciphertext/);
    expect(() => guard.check({ method: 'SubmitUpdate', bytes: serialize.update(new Uint8Array(7)) })).toThrow(/not a SEAL ciphertext/);
    expect(() => guard.check({ method: 'Join', bytes: serialize.join(rawCsvRow) })).toThrow(HeflError);
    const records = (await readFile(ledgerPath, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { classification: string });
    expect(records.map((record) => record.classification)).toEqual(['plaintext', 'refused', 'refused', 'refused']);
    // Without the opt-in the very same bytes never leave.
    using strict = await EgressGuard.create(new LedgerWriter(join(directory, 'opted-in', 'strict.jsonl'), 'bank', bank.identityKey as NonNullable<typeof bank.identityKey>), job.ckks);
    expect(() => strict.check({ method: 'SubmitUpdate', bytes: serialize.update(float32) })).toThrow(/not a SEAL ciphertext/);
    const audit = await runHefl(['audit', 'verify', '--roster', join(keys.coordinator, 'keys.json'), ledgerPath]);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toMatch(/an UNENCRYPTED update left bank \(custody none\)/);
  });
});
