import { randomBytes, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateIdentity, loadIdentityPrivateKey, loadIdentityPublicKey } from '../../protocols/identity/participant-identity.js';
import { intersectBlindedLists } from '../../protocols/psi/intersect.js';
import { decodeRanks } from '../../protocols/psi/ranks.js';
import { randomElements } from '../../protocols/psi/x25519-blinding.js';
import { decodeBlobList, encodeBlobList } from '../../protocols/vertical/blob-list.js';
import { COORDINATOR_SENDER, verticalAddress, type VerticalAddress } from '../../protocols/vertical/vertical-address.js';
import { verticalJobSpecSchema, type VerticalJobSpecInput } from '../../protocols/vertical/vertical-job-spec.js';
import { psiRing } from '../../protocols/vertical/vertical-rules.js';
import { signVerticalMessage } from '../../protocols/vertical/vertical-signing.js';
import type { VerticalMessage } from '../../protocols/vertical/vertical-wire.js';
import { PROTOCOL_VERSION } from '../../protocols/wire/federation-messages.js';
import { FetchRefusedError, VerticalCoordinator, type VerticalEpochMetrics, type VerticalNotice, type VerticalNoticeSink } from './vertical-coordinator.js';
import { createVerticalSum } from './vertical-sum.js';

const PARTIES = ['telco', 'bank', 'insurer'] as const;
type Party = (typeof PARTIES)[number];
const FINGERPRINT = 'a'.repeat(64);
const pems = new Map(PARTIES.map((party) => [party, generateIdentity()]));
const privateKeys = new Map<string, KeyObject>([...pems].map(([party, pair]) => [party, loadIdentityPrivateKey(pair.privateKeyPem)]));
const publicKeys = new Map<string, KeyObject>([...pems].map(([party, pair]) => [party, loadIdentityPublicKey(pair.publicKeyPem)]));

function jobInput(federation: Partial<{ joinDeadlineSeconds: number; stepDeadlineSeconds: number }> = {}): VerticalJobSpecInput {
  const party = (id: string, label = false) => ({ id, idColumn: 'customer', features: { numeric: [`${id}-x`] }, ...(label ? { label: { column: 'default', positive: 'yes', negative: 'no' } } : {}) });
  return {
    kind: 'vertical-logistic-regression',
    jobId: 'job-coordinator',
    parties: [party('telco'), party('bank', true), party('insurer')],
    custody: { mode: 'none' },
    federation: { joinDeadlineSeconds: 600, stepDeadlineSeconds: 600, ...federation },
  };
}

class RecordingSink implements VerticalNoticeSink {
  readonly notices: VerticalNotice[] = [];
  closed = false;
  send(notice: VerticalNotice): void {
    this.notices.push(notice);
  }
  close(): void {
    this.closed = true;
  }
}

const metricsSeen: VerticalEpochMetrics[] = [];

async function setUp(federation: Partial<{ joinDeadlineSeconds: number; stepDeadlineSeconds: number }> = {}, join = true) {
  const job = verticalJobSpecSchema.parse(jobInput(federation));
  const sum = await createVerticalSum('none', job.ckks);
  const coordinator = new VerticalCoordinator({
    job,
    identities: publicKeys,
    keyFingerprint: FINGERPRINT,
    sum,
    intersect: (lists) => intersectBlindedLists(lists),
    onEpochMetrics: (metrics) => metricsSeen.push(metrics),
  });
  const sinks = new Map<Party, RecordingSink>();
  if (join) {
    for (const party of PARTIES) {
      const sink = new RecordingSink();
      sinks.set(party, sink);
      expect(coordinator.join({ jobId: job.jobId, participantId: party, protocolVersion: PROTOCOL_VERSION, keyFingerprint: FINGERPRINT }, sink)).toEqual({ accepted: true });
    }
  }
  return { job, coordinator, sinks };
}

function signed(signer: Party, address: VerticalAddress, payload: Uint8Array, jobId = 'job-coordinator'): VerticalMessage {
  return { address, payload, signature: signVerticalMessage(privateKeys.get(signer) as KeyObject, jobId, address, payload) };
}

function post(coordinator: VerticalCoordinator, sender: Party, message: VerticalMessage, nonce: Uint8Array = new Uint8Array(randomBytes(16))) {
  return coordinator.post(sender, message, nonce, message.payload.length);
}

/** Whether a promise has settled once every pending callback has run (the coordinator works synchronously). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

const values = (...numbers: number[]): Uint8Array => encodeBlobList([new Uint8Array(Float64Array.from(numbers).buffer)]);
const floats = (payload: Uint8Array): number[] => Array.from(new Float64Array(Uint8Array.from(decodeBlobList(payload, 'test', 10)[0] as Uint8Array).buffer));

describe('VerticalCoordinator: join', () => {
  it('accepts a roster party with the job\'s key material and sends it the job', async () => {
    const { coordinator, sinks, job } = await setUp();
    expect(sinks.get('bank')?.notices[0]).toEqual({ type: 'job-accepted', job });
    coordinator.fail('test over');
  });

  it('refuses an unknown party, another job, another protocol version and other key material', async () => {
    const { coordinator } = await setUp({}, false);
    const base = { jobId: 'job-coordinator', participantId: 'bank', protocolVersion: PROTOCOL_VERSION, keyFingerprint: FINGERPRINT };
    const sink = new RecordingSink();
    expect(coordinator.join({ ...base, participantId: 'mallory' }, sink)).toEqual({ accepted: false, reason: '"mallory" is not a party of job job-coordinator' });
    expect(coordinator.join({ ...base, jobId: 'job-other' }, sink)).toEqual({ accepted: false, reason: 'this coordinator runs job "job-coordinator", not "job-other"' });
    expect(coordinator.join({ ...base, protocolVersion: PROTOCOL_VERSION - 1 }, sink)).toEqual({ accepted: false, reason: `protocol version ${PROTOCOL_VERSION - 1} is not ${PROTOCOL_VERSION}` });
    expect(coordinator.join({ ...base, keyFingerprint: 'b'.repeat(64) }, sink)).toEqual({ accepted: false, reason: expect.stringMatching(/other key material/) });
    // Nothing was sent down a refused join.
    expect(sink.notices).toEqual([]);
    expect(coordinator.join(base, sink)).toEqual({ accepted: true });
    coordinator.fail('test over');
    // A finished job takes nobody.
    expect(coordinator.join(base, new RecordingSink())).toEqual({ accepted: false, reason: 'job job-coordinator is already failed' });
  });
});

describe('VerticalCoordinator: posts', () => {
  const address = verticalAddress('forward-part', { epoch: 0, batch: 0, sender: 'insurer' });

  it('refuses a bad signature, another party\'s signature and a message signed for another job; a refused post leaves nothing to fetch', async () => {
    const { coordinator } = await setUp();
    const fetched = coordinator.fetch('bank', address);
    const genuine = signed('insurer', address, values(1, 2));
    const tampered = { ...genuine, payload: values(1, 3) };
    expect(post(coordinator, 'insurer', tampered)).toEqual({ accepted: false, reason: 'the signature of "insurer" over forward-part/0/0//0/insurer/ does not verify' });
    // The bank signs a message in insurer's name and insurer's name is used to post it.
    expect(post(coordinator, 'insurer', signed('bank', address, values(9, 9)))).toMatchObject({ accepted: false, reason: expect.stringMatching(/does not verify/) });
    expect(post(coordinator, 'insurer', signed('insurer', address, values(9, 9), 'job-other'))).toMatchObject({ accepted: false, reason: expect.stringMatching(/does not verify/) });
    expect(post(coordinator, 'insurer', { ...genuine, signature: new Uint8Array(0) })).toMatchObject({ accepted: false, reason: expect.stringMatching(/does not verify/) });
    expect(await settled(fetched)).toBe(false);
    expect(post(coordinator, 'insurer', genuine)).toEqual({ accepted: true });
    expect(floats((await fetched).payload)).toEqual([1, 2]);
    coordinator.fail('test over');
  });

  it('refuses a replayed nonce, even on another message of the same sender', async () => {
    const { coordinator } = await setUp();
    const nonce = new Uint8Array(randomBytes(16));
    expect(post(coordinator, 'insurer', signed('insurer', address, values(1)), nonce)).toEqual({ accepted: true });
    expect(post(coordinator, 'insurer', signed('insurer', address, values(1)), nonce)).toEqual({ accepted: false, reason: 'replayed message (nonce seen before)' });
    const other = verticalAddress('forward-part', { epoch: 0, batch: 1, sender: 'insurer' });
    expect(post(coordinator, 'insurer', signed('insurer', other, values(2)), nonce)).toEqual({ accepted: false, reason: 'replayed message (nonce seen before)' });
    // Another sender's nonce space is its own.
    expect(post(coordinator, 'telco', signed('telco', verticalAddress('forward-part', { epoch: 0, batch: 1, sender: 'telco' }), values(2)), nonce)).toEqual({ accepted: true });
    // A refused post does not burn its nonce: the genuine message can still go with it.
    const fresh = new Uint8Array(randomBytes(16));
    expect(post(coordinator, 'bank', signed('insurer', verticalAddress('done', { sender: 'bank' }), new Uint8Array(0)), fresh).accepted).toBe(false);
    expect(post(coordinator, 'bank', signed('bank', verticalAddress('done', { sender: 'bank' }), new Uint8Array(0)), fresh)).toEqual({ accepted: true });
    coordinator.fail('test over');
  });

  it('applies the rules before anything is stored: another\'s name, coordinator kinds, host metrics, misaddressed shares', async () => {
    const { coordinator } = await setUp();
    const forwardSum = verticalAddress('forward-sum', { epoch: 0, batch: 0, sender: COORDINATOR_SENDER });
    const fetchedSum = coordinator.fetch('bank', forwardSum);
    const cases: [Party, VerticalAddress, RegExp][] = [
      ['telco', verticalAddress('forward-part', { sender: 'insurer' }), /names "insurer" as its sender/],
      ['telco', verticalAddress('forward-sum', { epoch: 0, batch: 0, sender: 'telco' }), /only the coordinator makes forward-sum/],
      ['telco', verticalAddress('psi-ranks', { owner: 'telco', recipient: 'telco', sender: 'telco' }), /only the coordinator makes psi-ranks/],
      ['telco', verticalAddress('score-sum', { sender: 'telco' }), /only the coordinator makes score-sum/],
      ['insurer', verticalAddress('epoch-metrics', { sender: 'insurer' }), /only the label holder/],
      ['insurer', verticalAddress('coefficient-shares', { owner: 'telco', sender: 'insurer', recipient: 'bank' }), /sealed to the gradient owner only/],
      ['insurer', verticalAddress('score-shares', { sender: 'insurer', recipient: 'telco' }), /label holder "bank" only/],
      ['insurer', verticalAddress('psi-blinded', { owner: 'telco', hop: 1, sender: 'insurer' }), /belongs to "bank"/],
    ];
    for (const [sender, at, reason] of cases) {
      // Correctly signed by the sender: only the rules stand in the way.
      expect(post(coordinator, sender, signed(sender, at, values(1)))).toEqual({ accepted: false, reason: expect.stringMatching(reason) });
    }
    // The sender id the transport proved is what counts, not a valid signature by someone else.
    expect(coordinator.post('mallory', signed('telco', verticalAddress('done', { sender: 'telco' }), new Uint8Array(0)), new Uint8Array(16), 0)).toEqual({ accepted: false, reason: '"mallory" is not a party of this job' });
    expect(await settled(fetchedSum)).toBe(false);
    coordinator.fail('test over');
    await expect(fetchedSum).rejects.toThrow(/the job failed: test over/);
  });

  it('refuses a second, different message at a taken address and keeps the first; an identical resend is accepted', async () => {
    const { coordinator } = await setUp();
    const first = signed('insurer', address, values(1, 2));
    expect(post(coordinator, 'insurer', first)).toEqual({ accepted: true });
    expect(post(coordinator, 'insurer', signed('insurer', address, values(5, 5)))).toEqual({ accepted: false, reason: 'a different message is already stored at forward-part/0/0//0/insurer/' });
    expect(post(coordinator, 'insurer', first)).toEqual({ accepted: true });
    expect(floats((await coordinator.fetch('telco', address)).payload)).toEqual([1, 2]);
    coordinator.fail('test over');
  });

  it('refuses every post once the job is over', async () => {
    const { coordinator } = await setUp();
    coordinator.fail('test over');
    expect(post(coordinator, 'insurer', signed('insurer', address, values(1)))).toEqual({ accepted: false, reason: 'job job-coordinator is already failed' });
  });
});

describe('VerticalCoordinator: fetches', () => {
  it('refuses a fetch the rules forbid at once, with FetchRefusedError (never waits on it)', async () => {
    const { coordinator } = await setUp();
    await expect(coordinator.fetch('telco', verticalAddress('coefficient-shares', { owner: 'insurer', sender: 'bank', recipient: 'insurer' }))).rejects.toThrow(FetchRefusedError);
    await expect(coordinator.fetch('telco', verticalAddress('psi-blinded', { owner: 'telco', hop: 2, sender: 'insurer' }))).rejects.toThrow('fully blinded PSI lists go to the coordinator only');
    await expect(coordinator.fetch('mallory', verticalAddress('done', { sender: 'bank' }))).rejects.toThrow(FetchRefusedError);
    coordinator.fail('test over');
  });
});

describe('VerticalCoordinator: what it makes', () => {
  it('makes the forward sum exactly when every part is in, and it is the sum of the parts', async () => {
    const { coordinator } = await setUp();
    const sumAddress = verticalAddress('forward-sum', { epoch: 1, batch: 2, sender: COORDINATOR_SENDER });
    const fetched = coordinator.fetch('telco', sumAddress);
    const parts: Record<Party, number[]> = { telco: [1, 2, 3], bank: [0.5, -1, 10], insurer: [-0.25, 4, 0] };
    for (const party of ['telco', 'bank'] as const) {
      expect(post(coordinator, party, signed(party, verticalAddress('forward-part', { epoch: 1, batch: 2, sender: party }), values(...parts[party])))).toEqual({ accepted: true });
      expect(await settled(fetched)).toBe(false);
    }
    // A part of another batch completes nothing.
    expect(post(coordinator, 'insurer', signed('insurer', verticalAddress('forward-part', { epoch: 1, batch: 3, sender: 'insurer' }), values(7, 7, 7)))).toEqual({ accepted: true });
    expect(await settled(fetched)).toBe(false);
    expect(post(coordinator, 'insurer', signed('insurer', verticalAddress('forward-part', { epoch: 1, batch: 2, sender: 'insurer' }), values(...parts.insurer)))).toEqual({ accepted: true });
    const sum = await fetched;
    expect(sum.address).toEqual(sumAddress);
    expect(sum.signature).toHaveLength(0);
    expect(floats(sum.payload)).toEqual([1.25, 5, 13]);
    coordinator.fail('test over');
  });

  it('fails the job when the parts cannot be added (different shapes), naming the step', async () => {
    const { coordinator } = await setUp();
    for (const [party, part] of [['telco', values(1, 2)], ['bank', values(1, 2)], ['insurer', values(1)]] as const) {
      post(coordinator, party, signed(party, verticalAddress('forward-part', { epoch: 0, batch: 0, sender: party }), part));
    }
    const report = await coordinator.finished;
    expect(report.status).toBe('failed');
    expect(report.reason).toMatch(/forward-part\/0\/0\/\/0\/insurer\/ could not be combined: forward-part of epoch 0 batch 0: part 2 item 0 has the wrong size/);
  });

  it('makes every owner\'s PSI ranks when the last final hop is in, with the real intersection, to that owner only', async () => {
    const { coordinator, sinks } = await setUp();
    const common = randomElements(5);
    const lists = new Map<string, Uint8Array>(
      PARTIES.map((owner, index) => {
        const own = randomElements(3 + index);
        // Interleave: the common elements sit at different positions in each list.
        return [owner, Uint8Array.from(Buffer.concat(index % 2 === 0 ? [own, common] : [common, own]))];
      }),
    );
    const rankFetches = PARTIES.map((owner) => coordinator.fetch(owner, verticalAddress('psi-ranks', { owner, recipient: owner, sender: COORDINATOR_SENDER })));
    await expect(coordinator.fetch('bank', verticalAddress('psi-ranks', { owner: 'telco', recipient: 'telco', sender: COORDINATOR_SENDER }))).rejects.toThrow('the message is sealed to "telco"');
    for (const [index, owner] of PARTIES.entries()) {
      const ring = psiRing({ parties: [...PARTIES], labelHolder: 'bank' }, owner);
      const last = ring[2] as Party;
      const at = verticalAddress('psi-blinded', { owner, hop: 2, sender: last });
      expect(post(coordinator, last, signed(last, at, lists.get(owner) as Uint8Array))).toEqual({ accepted: true });
      if (index < PARTIES.length - 1) expect(await settled(rankFetches[index] as Promise<unknown>)).toBe(false);
    }
    const expected = intersectBlindedLists(lists);
    for (const [index, owner] of PARTIES.entries()) {
      const message = await (rankFetches[index] as Promise<VerticalMessage>);
      const ranks = decodeRanks(message.payload, (lists.get(owner) as Uint8Array).length / 32);
      expect(Array.from(ranks)).toEqual(Array.from(expected.get(owner) as Int32Array));
      expect(Array.from(ranks).filter((rank) => rank >= 0).sort()).toEqual([0, 1, 2, 3, 4]);
    }
    for (const party of PARTIES) post(coordinator, party, signed(party, verticalAddress('done', { sender: party }), new Uint8Array(0)));
    const report = await coordinator.finished;
    expect(report.intersectionSize).toBe(5);
    expect(sinks.get('bank')?.notices.at(-1)).toEqual({ type: 'job-finished', epochs: 0 });
  });

  it('fails the job instead of answering when a fully blinded list holds a low-order element', async () => {
    const { coordinator } = await setUp();
    for (const owner of PARTIES) {
      const last = psiRing({ parties: [...PARTIES], labelHolder: 'bank' }, owner)[2] as Party;
      const list = randomElements(3);
      if (owner === 'insurer') list.fill(0, 32, 64);
      post(coordinator, last, signed(last, verticalAddress('psi-blinded', { owner, hop: 2, sender: last }), list));
    }
    const report = await coordinator.finished;
    expect(report.status).toBe('failed');
    expect(report.reason).toMatch(/could not be combined: fully blinded list of insurer: element 1/);
    await expect(coordinator.fetch('bank', verticalAddress('psi-ranks', { owner: 'bank', recipient: 'bank', sender: COORDINATOR_SENDER }))).rejects.toThrow(/the job failed/);
  });

  it('finishes the job when every party is done, records the label holder\'s metrics and tells every sink', async () => {
    const { coordinator, sinks } = await setUp();
    const metrics = { validationAuc: 0.75, validationLoss: 0.5, validationRows: 100 };
    expect(post(coordinator, 'bank', signed('bank', verticalAddress('epoch-metrics', { epoch: 0, sender: 'bank' }), Buffer.from(JSON.stringify(metrics))))).toEqual({ accepted: true });
    for (const party of ['telco', 'bank'] as const) expect(post(coordinator, party, signed(party, verticalAddress('done', { sender: party }), new Uint8Array(0)))).toEqual({ accepted: true });
    expect(await settled(coordinator.finished)).toBe(false);
    // A resent 'done' does not count twice.
    expect(post(coordinator, 'bank', signed('bank', verticalAddress('done', { sender: 'bank' }), new Uint8Array(0)))).toEqual({ accepted: true });
    expect(await settled(coordinator.finished)).toBe(false);
    expect(post(coordinator, 'insurer', signed('insurer', verticalAddress('done', { sender: 'insurer' }), new Uint8Array(0)))).toEqual({ accepted: true });
    const report = await coordinator.finished;
    expect(report).toMatchObject({ status: 'finished', parties: ['telco', 'bank', 'insurer'], epochs: [{ epoch: 0, ...metrics }] });
    expect(metricsSeen).toContainEqual({ epoch: 0, ...metrics });
    for (const party of PARTIES) {
      expect(sinks.get(party)?.notices.at(-1)).toEqual({ type: 'job-finished', epochs: 1 });
      expect(sinks.get(party)?.closed).toBe(true);
    }
    await expect(coordinator.fetch('bank', verticalAddress('forward-sum', { sender: COORDINATOR_SENDER }))).rejects.toThrow('the job has finished');
  });
});

describe('VerticalCoordinator: deadlines', () => {
  it('fails the job when no party makes progress within the step deadline, and tells every sink', async () => {
    const { coordinator, sinks } = await setUp({ stepDeadlineSeconds: 0.05 });
    const waiting = coordinator.fetch('bank', verticalAddress('forward-sum', { sender: COORDINATOR_SENDER }));
    const report = await coordinator.finished;
    expect(report.status).toBe('failed');
    expect(report.reason).toBe('no party made progress in time (0.05 s)');
    await expect(waiting).rejects.toThrow('the job failed: no party made progress in time');
    for (const party of PARTIES) {
      expect(sinks.get(party)?.notices.at(-1)).toEqual({ type: 'job-failed', reason: 'no party made progress in time (0.05 s)' });
      expect(sinks.get(party)?.closed).toBe(true);
    }
  });

  it('fails the job when not every party joins in time', async () => {
    const { coordinator } = await setUp({ joinDeadlineSeconds: 0.05 }, false);
    expect(coordinator.join({ jobId: 'job-coordinator', participantId: 'bank', protocolVersion: PROTOCOL_VERSION, keyFingerprint: FINGERPRINT }, new RecordingSink())).toEqual({ accepted: true });
    const report = await coordinator.finished;
    expect(report).toMatchObject({ status: 'failed', reason: 'not every party joined in time (0.05 s)' });
  });
});
