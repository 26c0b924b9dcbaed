import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import { CkksSession, liveSealHandleCount } from '../ckks-session.js';
import { collectiveKeyFingerprint, combinePublicShares } from './collective-public-key.js';
import { COMMON_SEED_BYTES } from './common-seed.js';
import { createKeyShare, type KeyShare } from './key-share.js';
import { SHARE_HEADER_BYTES } from './share-format.js';
import { ThresholdCkksContext } from './threshold-context.js';
import { DEFAULT_THRESHOLD_CKKS } from './threshold-parameters.js';

const seed = new Uint8Array(COMMON_SEED_BYTES).fill(3);

describe('combinePublicShares', () => {
  let context: ThresholdCkksContext;
  let shares: KeyShare[];
  let before: number;

  beforeAll(async () => {
    before = liveSealHandleCount();
    context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
    shares = [];
    for (let party = 0; party < 3; party += 1) shares.push(await createKeyShare(context, seed));
  });

  afterAll(() => {
    context.dispose();
    expect(liveSealHandleCount()).toBe(before);
  });

  it('is deterministic and order-independent, and CkksSession encrypts under it', async () => {
    const publicShares = shares.map((share) => share.publicShare);
    const key = await combinePublicShares(context, seed, publicShares);
    const reordered = await combinePublicShares(DEFAULT_THRESHOLD_CKKS, seed, [...publicShares].reverse());
    expect(reordered).toEqual(key);
    expect(collectiveKeyFingerprint(reordered)).toBe(collectiveKeyFingerprint(key));
    expect(collectiveKeyFingerprint(await combinePublicShares(context, seed, publicShares.slice(0, 2)))).not.toBe(collectiveKeyFingerprint(key));
    // Seeded: c0 plus a 64-byte seed, about half an unseeded key.
    expect(key.length).toBeLessThan(3 * 8192 * 8 + 200);
    const session = await CkksSession.create(DEFAULT_THRESHOLD_CKKS, { publicKey: key });
    expect(session.canEncrypt).toBe(true);
    expect(session.encryptVector([1, 2, 3])).toHaveLength(1);
    session.dispose();
  });

  it('refuses a lone share, replays, shares for another seed and malformed shares', async () => {
    const [a, b] = shares.map((share) => share.publicShare) as [Uint8Array, Uint8Array];
    await expect(combinePublicShares(context, seed, [a])).rejects.toThrow(KeyCustodyError);
    await expect(combinePublicShares(context, seed, [a, b, a])).rejects.toThrow(/repeats/);
    await expect(combinePublicShares(context, new Uint8Array(COMMON_SEED_BYTES).fill(4), [a, b])).rejects.toThrow(/another common seed/);
    await expect(combinePublicShares(context, seed.subarray(1), [a, b])).rejects.toThrow(CiphertextError);
    await expect(combinePublicShares(context, seed, [a, b.subarray(0, b.length - 8)])).rejects.toThrow(CiphertextError);
    const unreduced = Uint8Array.from(b);
    unreduced.fill(0xff, SHARE_HEADER_BYTES, SHARE_HEADER_BYTES + 8);
    await expect(combinePublicShares(context, seed, [a, unreduced])).rejects.toThrow(/not below its prime/);
  });
});
