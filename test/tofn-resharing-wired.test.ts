import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TofnKeyRelay } from '../coordinator/custody/tofn-key-relay.js';
import { TofnResharing } from '../participant/custody/tofn-resharing.js';
import { DecryptionGuard } from '../participant/decryption-guard.js';
import { collectiveKeyFingerprint, combinePublicShares, createKeyShare, createSeedContribution, deriveCommonSeed, ThresholdCkksContext } from '../protocols/ckks/threshold/index.js';
import { sealShamirShare, thresholdizeKeyShare, type ResharingContext } from '../protocols/ckks/threshold-t-of-n/index.js';
import { signKeySetupValue } from '../protocols/identity/participant-identity.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import type { KeySetupMessage, SignedValue, TofnKeySetupStep } from '../protocols/wire/federation-messages.js';
import { decodeShamirParcel, encodeShamirParcel, type ShamirParcel } from '../protocols/wire/tofn-key-setup-values.js';
import { scaledMs } from './support/time-scale.js';

// The resharing as wired (participant/custody/tofn-resharing.ts, coordinator/custody/tofn-key-relay.ts),
// real SEAL, messages passed by hand instead of gRPC: N = 3, t = 2.
const ids = ['p1', 'p2', 'p3'];
const job = jobSpecSchema.parse({
  jobId: 'tofn-wired',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['age'], label: { column: 'y', positive: 'yes', negative: 'no' } },
  training: { rounds: 1 },
  federation: { participants: ids, minParticipants: 2 },
  custody: { mode: 'threshold', threshold: 2 },
});
const identities = new Map(ids.map((id) => [id, generateKeyPairSync('ed25519')]));
const publicIdentities = new Map(ids.map((id) => [id, identities.get(id)?.publicKey as KeyObject]));
let context: ThresholdCkksContext;
let keyShares: Map<string, Uint8Array>;
let collectiveKey: Uint8Array;

beforeAll(async () => {
  context = await ThresholdCkksContext.create(job.ckks);
  const seed = deriveCommonSeed(job.jobId, ids.map((participantId) => ({ participantId, seed: createSeedContribution({ jobId: job.jobId, participantId }).seed })));
  const shares = await Promise.all(ids.map(() => createKeyShare(context, seed)));
  keyShares = new Map(ids.map((id, index) => [id, shares[index]?.secretShare as Uint8Array]));
  collectiveKey = await combinePublicShares(context, seed, shares.map((share) => share.publicShare));
}, scaledMs(60_000));
afterAll(() => context.dispose());

/** Three nodes and the coordinator's relay; `tamper` may replace what a node sends before the relay sees it. */
async function federation(tamper: (message: KeySetupMessage) => KeySetupMessage = (message) => message) {
  const outbox: KeySetupMessage[] = [];
  const nodes = new Map<string, TofnResharing>();
  for (const id of ids) {
    const identityKey = identities.get(id)?.privateKey as KeyObject;
    nodes.set(id, new TofnResharing({
      job,
      participantId: id,
      identityKey,
      identities: publicIdentities,
      logger: pino({ level: 'silent' }),
      guard: await DecryptionGuard.open(undefined),
      shareFile: undefined,
      thresholdContext: async () => context,
      send: async (step, value) => {
        outbox.push(tamper({ jobId: job.jobId, participantId: id, step, value, signature: signKeySetupValue(identityKey, { jobId: job.jobId, participantId: id, step }, value) }));
      },
    }));
  }
  const relay = new TofnKeyRelay(job, 2, (id) => publicIdentities.get(id));
  const run = async (step: TofnKeySetupStep, previousFor: (id: string) => SignedValue[]): Promise<void> => {
    relay.begin(step);
    for (const [id, node] of nodes) await node.onStep(step, previousFor(id), keyShares.get(id) as Uint8Array, collectiveKey);
    for (const message of outbox.splice(0)) expect(relay.accept({ ...message, step })).toEqual({ accepted: true });
    expect(relay.missing()).toEqual([]);
  };
  return { nodes, relay, run };
}

describe('t-of-N resharing as wired: N = 3, t = 2, real SEAL', () => {
  it('honest nodes: every cover committee decrypts its canary and every node holds its t-of-N share', async () => {
    const { nodes, relay, run } = await federation();
    await run('sealing-key', () => []);
    await run('shamir-share', () => relay.signedSealingKeys());
    await run('canary-share', (id) => relay.parcelsTo(id));
    const outcome = await relay.checkCover(context, collectiveKeyFingerprint(collectiveKey));
    expect(outcome.committees.map((entry) => entry.decrypted)).toEqual([true, true]);
    for (const node of nodes.values()) expect(node.requireShare().length).toBeGreaterThan(0);
  }, scaledMs(60_000));

  it('a dealer that sends one inconsistent (validly sealed and signed) share: the cover check fails naming the member holding it', async () => {
    const resharing: ResharingContext = { jobId: job.jobId, epoch: 0, keyFingerprint: collectiveKeyFingerprint(collectiveKey), roster: ids, threshold: 2 };
    let sealingKeys: SignedValue[] = [];
    const { relay, run } = await federation((message) => {
      if (message.step !== 'shamir-share' || message.participantId !== 'p2') return message;
      const parcel = decodeShamirParcel(message.value);
      if (!parcel.success || parcel.data.to !== 'p3') return message;
      return { ...message, ...badParcel(parcel.data, resharing, sealingKeys) };
    });
    await run('sealing-key', () => []);
    sealingKeys = relay.signedSealingKeys();
    // p2 deals p3 a share of another secret: bound and sealed correctly, so only the canaries can tell.
    const other = await createKeyShare(context, new Uint8Array(64).fill(7));
    bad = (await thresholdizeKeyShare(context, other.secretShare, resharing, 'p2')).get('p3') as Uint8Array;
    await run('shamir-share', () => sealingKeys);
    await run('canary-share', (id) => relay.parcelsTo(id));
    const outcome = await relay.checkCover(context, resharing.keyFingerprint);
    expect(outcome.committees.map((entry) => [entry.committee.join(','), entry.decrypted])).toEqual([['p1,p2', true], ['p1,p3', false]]);
    expect(outcome.suspects).toEqual(['p3']);
  }, scaledMs(60_000));

  it('a node refuses a relayed share that is altered (not signed by its sender) or addressed to another node', async () => {
    const { nodes, relay, run } = await federation();
    await run('sealing-key', () => []);
    await run('shamir-share', () => relay.signedSealingKeys());
    const forP3 = relay.parcelsTo('p3');
    const flipped = forP3.map((value) => (value.participantId === 'p1' ? { ...value, value: Uint8Array.from(value.value, (byte, index) => (index === 40 ? byte ^ 1 : byte)) } : value));
    await expect(nodes.get('p3')?.onStep('canary-share', flipped, keyShares.get('p3') as Uint8Array, collectiveKey)).rejects.toThrow(/the relayed Shamir share of p1 is not signed by its identity/);
    // A failed attempt wipes what the node kept: it cannot be asked again with other parcels.
    await expect(nodes.get('p3')?.onStep('canary-share', forP3, keyShares.get('p3') as Uint8Array, collectiveKey)).rejects.toThrow(/steps arrived out of order/);
    // p1's share for p2, relayed to p3 in place of p1's share for p3 (its signature is p1's own).
    const second = await federation();
    await second.run('sealing-key', () => []);
    await second.run('shamir-share', () => second.relay.signedSealingKeys());
    const foreign = second.relay.parcelsTo('p3').map((value) => (value.participantId === 'p1' ? (second.relay.parcelsTo('p2').find((entry) => entry.participantId === 'p1') as SignedValue) : value));
    await expect(second.nodes.get('p3')?.onStep('canary-share', foreign, keyShares.get('p3') as Uint8Array, collectiveKey)).rejects.toThrow(/p1's Shamir share relayed to us is addressed to p2/);
  }, scaledMs(60_000));
});

let bad: Uint8Array | undefined;

/** p2's parcel to p3 with `bad` sealed to p3's key and everything signed by p2, as a misbehaving dealer would. */
function badParcel(parcel: ShamirParcel, resharing: ResharingContext, sealingKeys: readonly SignedValue[]): { value: Uint8Array; signature: Uint8Array } {
  const p2 = identities.get('p2')?.privateKey as KeyObject;
  const recipientSealingKey = sealingKeys.find((entry) => entry.participantId === 'p3')?.value as Uint8Array;
  const envelope = sealShamirShare(bad as Uint8Array, resharing, { from: 'p2', to: 'p3' }, { recipientSealingKey, senderIdentityKey: p2 });
  const value = encodeShamirParcel({ ...parcel, envelope });
  return { value, signature: signKeySetupValue(p2, { jobId: job.jobId, participantId: 'p2', step: 'shamir-share' }, value) };
}
