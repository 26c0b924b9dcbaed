import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyCustodyError } from '../../errors.js';
import { liveSealHandleCount } from '../ckks-session.js';
import { addRnsInPlace, polyWordCount } from '../threshold/rns-words.js';
import { ThresholdCkksContext } from '../threshold/threshold-context.js';
import { DEFAULT_THRESHOLD_CKKS } from '../threshold/threshold-parameters.js';
import { committeeKeyShare } from './combiner.js';
import { openShamirShare, sealShamirShare } from './sealed-shamir-share.js';
import { decryptWithCommittee, encryptedSum, maxAbsError, newMembers, setUpTofnFederation, subsetsOf, testVector, type TofnFederation } from './testing/tofn-federation.js';
import { aggregateShamirShares, keyWords, thresholdizeKeyShare, type ResharingContext } from './thresholdizer.js';

describe('key epochs: resharing to a new member set without rebuilding the collective key', () => {
  let context: ThresholdCkksContext;
  let handlesBefore: number;
  let federation: TofnFederation;

  beforeAll(async () => {
    handlesBefore = liveSealHandleCount();
    context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
    federation = await setUpTofnFederation(context, 5, 3, { jobId: 'epochs' });
  });

  afterAll(() => {
    federation.wipe();
    context.dispose();
    expect(liveSealHandleCount()).toBe(handlesBefore);
  });

  function sumOfKeys(keys: readonly Uint8Array[]): Uint32Array {
    const { keyLevel, polyModulusDegree } = context;
    const sum = new Uint32Array(polyWordCount(polyModulusDegree, keyLevel.primeCount));
    for (const key of keys) addRnsInPlace(sum, keyWords(context, key, 'key'), keyLevel.primes, polyModulusDegree);
    return sum;
  }

  it('p5 revoked, p6 joins: committee {p1,p2,p3} of epoch 1 reshares λ·S to epoch 2; every new committee holds s and decrypts', async () => {
    const collective = sumOfKeys([...federation.keys.values()].map((key) => key.secretShare));
    const old = federation.resharing;
    const dealers = ['p1', 'p2', 'p3'];
    const next: ResharingContext = { jobId: old.jobId, epoch: 2, keyFingerprint: old.keyFingerprint, roster: ['p1', 'p2', 'p3', 'p4', 'p6'], threshold: 3, dealers };
    const members = newMembers(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    const inbox = new Map(next.roster.map((id) => [id, new Map<string, Uint8Array>()]));
    for (const from of dealers) {
      const additive = await committeeKeyShare(context, federation.thresholdShares.get(from)!, { ...old, self: from, committee: dealers });
      const shares = await thresholdizeKeyShare(context, additive, next, from);
      additive.fill(0);
      for (const [to, share] of shares) {
        const envelope = sealShamirShare(share, next, { from, to }, { recipientSealingKey: members.get(to)!.sealing.publicKey, senderIdentityKey: members.get(from)!.identity.privateKey });
        share.fill(0);
        inbox.get(to)!.set(from, openShamirShare(envelope, next, { from, to }, { recipientSealingPrivateKey: members.get(to)!.sealing.privateKey, senderIdentityPublicKey: members.get(from)!.identity.publicKey }));
      }
    }
    // p4 is no dealer: a share claiming to come from it is refused, and so is one missing dealer.
    await expect(aggregateShamirShares(context, new Map([...inbox.get('p6')!, ['p4', inbox.get('p6')!.get('p1')!]]), next, 'p6')).rejects.toThrow(/p4 is not a dealer/);
    await expect(aggregateShamirShares(context, new Map([...inbox.get('p6')!].slice(1)), next, 'p6')).rejects.toThrow(/missing p1/);
    expect(() => sealShamirShare(new Uint8Array(10), next, { from: 'p4', to: 'p6' }, { recipientSealingKey: members.get('p6')!.sealing.publicKey, senderIdentityKey: members.get('p4')!.identity.privateKey })).toThrow(KeyCustodyError);

    const epoch2: TofnFederation = { ...federation, ids: next.roster, resharing: next, thresholdShares: new Map() };
    for (const id of next.roster) epoch2.thresholdShares.set(id, await aggregateShamirShares(context, inbox.get(id)!, next, id));
    try {
      for (const committee of subsetsOf(next.roster, 3)) {
        const additive = await Promise.all(committee.map((self) => committeeKeyShare(context, epoch2.thresholdShares.get(self)!, { ...next, self, committee })));
        expect(sumOfKeys(additive), committee.join(',')).toEqual(collective);
      }
      // The unchanged collective public key still encrypts; the newcomer decrypts in a committee.
      const vectors = [testVector(5_000, 1, 1e3), testVector(5_000, 2, 1e3)];
      const chunks = await encryptedSum(context, federation.publicKey, vectors);
      const expected = vectors[0]!.map((value, index) => value + vectors[1]![index]!);
      expect(maxAbsError(await decryptWithCommittee(context, epoch2, ['p2', 'p4', 'p6'], chunks, 5_000), expected)).toBeLessThan(1e-6);
      // Epochs do not mix: epoch-2 shares of p1, p2 with p5's epoch-1 share do not give s.
      const mixed = [
        ...(await Promise.all(['p1', 'p2'].map((self) => committeeKeyShare(context, epoch2.thresholdShares.get(self)!, { ...next, self, committee: ['p1', 'p2', 'p3'] })))),
        await committeeKeyShare(context, federation.thresholdShares.get('p5')!, { ...old, self: 'p5', committee: ['p1', 'p2', 'p5'] }),
      ];
      expect(sumOfKeys(mixed)).not.toEqual(collective);
    } finally {
      for (const share of epoch2.thresholdShares.values()) share.fill(0);
    }
  });
});
