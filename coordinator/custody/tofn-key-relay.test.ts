import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { coverCommittees } from '../../protocols/ckks/threshold-t-of-n/index.js';
import { signKeySetupValue } from '../../protocols/identity/participant-identity.js';
import { jobSpecSchema } from '../../protocols/job/job-spec.js';
import type { TofnKeySetupStep } from '../../protocols/wire/federation-messages.js';
import { encodeCanaryShare, encodeShamirParcel } from '../../protocols/wire/tofn-key-setup-values.js';
import { TofnKeyRelay } from './tofn-key-relay.js';

const ids = ['p1', 'p2', 'p3', 'p4', 'p5'];
const job = jobSpecSchema.parse({
  jobId: 'relay',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['age'], label: { column: 'y', positive: 'yes', negative: 'no' } },
  training: { rounds: 1 },
  federation: { participants: ids, minParticipants: 3 },
  custody: { mode: 'threshold', threshold: 3 },
});
const keys = new Map(ids.map((id) => [id, generateKeyPairSync('ed25519')]));
const identity = (id: string): KeyObject | undefined => keys.get(id)?.publicKey;
const message = (from: string, step: TofnKeySetupStep, value: Uint8Array, signer = from) => ({
  jobId: job.jobId,
  participantId: from,
  step,
  value,
  signature: signKeySetupValue(keys.get(signer)?.privateKey as KeyObject, { jobId: job.jobId, participantId: from, step }, value),
});
const cover = coverCommittees(ids, 3);
const canariesFor = (from: string, to: string) =>
  cover.filter((committee) => committee.includes(to) && [...committee].sort()[0] === from).map((committee) => ({ committee, ciphertext: new Uint8Array([1, 2, 3]) }));

describe('TofnKeyRelay: what the coordinator relays in the t-of-N resharing', () => {
  it('refuses unsigned, misrouted or incomplete values and relays each sealed share to its recipient alone', () => {
    const relay = new TofnKeyRelay(job, 3, identity);
    relay.begin('sealing-key');
    expect(relay.accept(message('p1', 'sealing-key', randomBytes(32), 'p2'))).toEqual({ accepted: false, reason: 'the signature on p1\'s sealing-key does not verify' });
    expect(relay.accept(message('p1', 'sealing-key', randomBytes(31)))).toMatchObject({ accepted: false, reason: 'a sealing key is 32 bytes' });
    for (const id of ids) expect(relay.accept(message(id, 'sealing-key', randomBytes(32)))).toEqual({ accepted: true });
    expect(relay.accept(message('p1', 'sealing-key', randomBytes(32)))).toMatchObject({ accepted: false });
    expect(relay.missing()).toEqual([]);

    relay.begin('shamir-share');
    const envelope = randomBytes(64);
    expect(relay.accept(message('p1', 'shamir-share', encodeShamirParcel({ to: 'p1', envelope, canaries: [] })))).toMatchObject({ accepted: false, reason: expect.stringMatching(/must go to another participant/) });
    expect(relay.accept(message('p1', 'shamir-share', encodeShamirParcel({ to: 'p2', envelope, canaries: [] })))).toMatchObject({ accepted: false, reason: expect.stringMatching(/must carry the canary of exactly each cover committee p1 leads/) });
    const padded = Buffer.concat([Buffer.from(encodeShamirParcel({ to: 'p2', envelope, canaries: canariesFor('p1', 'p2') })), Buffer.from(' ')]);
    expect(relay.accept(message('p1', 'shamir-share', new Uint8Array(padded)))).toMatchObject({ accepted: false, reason: expect.stringMatching(/not JSON|canonical/) });
    for (const from of ids) for (const to of ids.filter((id) => id !== from)) expect(relay.accept(message(from, 'shamir-share', encodeShamirParcel({ to, envelope, canaries: canariesFor(from, to) })))).toEqual({ accepted: true });
    expect(relay.missing()).toEqual([]);
    expect(relay.parcelsTo('p3').map((value) => value.participantId).sort()).toEqual(['p1', 'p2', 'p4', 'p5']);

    relay.begin('canary-share');
    const share = { c1Sha256: 'a'.repeat(64), share: randomBytes(16) };
    expect(relay.accept(message('p4', 'canary-share', encodeCanaryShare({ committee: cover[0] as string[], ...share })))).toMatchObject({ accepted: false, reason: expect.stringMatching(/p4 is not on cover committee/) });
    expect(relay.missing()).toEqual(ids);
  });
});
