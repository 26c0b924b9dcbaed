import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { CkksSession, liveSealHandleCount } from '../ckks-session.js';
import { combinePublicShares } from './collective-public-key.js';
import { combineDecryptionShares } from './combine-decryption-shares.js';
import { COMMON_SEED_BYTES } from './common-seed.js';
import { DecryptionBudget } from './decryption-budget.js';
import { createDecryptionShare } from './decryption-share.js';
import { createKeyShare, type KeyShare } from './key-share.js';
import { SHARE_HEADER_BYTES } from './share-format.js';
import { ThresholdCkksContext } from './threshold-context.js';
import { DEFAULT_SMUDGING_SIGMA_BITS, DEFAULT_THRESHOLD_CKKS, MIN_SMUDGING_SIGMA_BITS } from './threshold-parameters.js';

const seed = new Uint8Array(COMMON_SEED_BYTES).fill(5);
const smudging = { smudgingSigmaBits: DEFAULT_SMUDGING_SIGMA_BITS };

describe('createDecryptionShare', () => {
  let context: ThresholdCkksContext;
  let keys: KeyShare[];
  let chunks: Uint8Array[];
  let before: number;

  beforeAll(async () => {
    before = liveSealHandleCount();
    context = await ThresholdCkksContext.create(DEFAULT_THRESHOLD_CKKS);
    keys = [await createKeyShare(context, seed), await createKeyShare(context, seed)];
    const publicKey = await combinePublicShares(context, seed, keys.map((key) => key.publicShare));
    const session = await CkksSession.create(DEFAULT_THRESHOLD_CKKS, { publicKey });
    chunks = session.encryptVector(new Float64Array(10_000).fill(1.25));
    session.dispose();
  });

  afterAll(() => {
    context.dispose();
    expect(liveSealHandleCount()).toBe(before);
  });

  it('returns one compact share per chunk, with fresh noise each time', async () => {
    const key = keys[0] as KeyShare;
    const first = await createDecryptionShare(context, key.secretShare, chunks, smudging);
    const again = await createDecryptionShare(context, key.secretShare, chunks, smudging);
    expect(first).toHaveLength(2);
    expect(first[0]?.length).toBe(SHARE_HEADER_BYTES + 2 * 8192 * 8);
    expect(first[0]).not.toEqual(again[0]); // same key, same chunk: the smudging differs
  });

  it('refuses zero or too small smudging before touching the key (the combiner would recover s_i)', async () => {
    const key = keys[0] as KeyShare;
    for (const smudgingSigmaBits of [0, MIN_SMUDGING_SIGMA_BITS - 1]) {
      await expect(createDecryptionShare(context, key.secretShare, chunks, { smudgingSigmaBits })).rejects.toThrow(KeyCustodyError);
    }
  });

  it('charges a budget: no chunk twice, nothing past the limit', async () => {
    const key = keys[1] as KeyShare;
    const budget = new DecryptionBudget(3);
    await createDecryptionShare(context, key.secretShare, chunks, { ...smudging, budget });
    expect(budget.used).toBe(2);
    await expect(createDecryptionShare(context, key.secretShare, chunks.slice(0, 1), { ...smudging, budget })).rejects.toThrow(/already/);
    await expect(createDecryptionShare(context, key.secretShare, [...chunks, ...chunks], smudging)).resolves.toHaveLength(4);
    const small = new DecryptionBudget(1);
    await expect(createDecryptionShare(context, key.secretShare, chunks, { ...smudging, budget: small })).rejects.toThrow(/budget/);
  });

  it('refuses chunks that are no aggregate ciphertext and secret shares that are no key', async () => {
    const key = keys[0] as KeyShare;
    await expect(createDecryptionShare(context, key.secretShare, [], smudging)).rejects.toThrow(CiphertextError);
    await expect(createDecryptionShare(context, key.secretShare, [new Uint8Array(200)], smudging)).rejects.toThrow(CiphertextError);
    await expect(createDecryptionShare(context, key.secretShare, [key.publicShare], smudging)).rejects.toThrow(CiphertextError);
    await expect(createDecryptionShare(context, key.secretShare.subarray(0, 100), chunks, smudging)).rejects.toThrow(KeyCustodyError);
  });
});

describe('a lower-level aggregate', () => {
  it('decrypts after the aggregate is switched down a level, with less traffic', async () => {
    const parameters: CkksParameters = { polyModulusDegree: 8192, coeffModulusBits: [50, 50, 50, 60], scaleBits: 70 };
    const before = liveSealHandleCount();
    const context = await ThresholdCkksContext.create(parameters);
    try {
      const keys = [await createKeyShare(context, seed), await createKeyShare(context, seed)];
      const publicKey = await combinePublicShares(context, seed, keys.map((key) => key.publicShare));
      const session = await CkksSession.create(parameters, { publicKey });
      const values = Float64Array.from({ length: 100 }, (_, index) => index * 3.5 - 70);
      const [top] = session.encryptVector(values) as [Uint8Array];
      session.dispose();
      const ciphertext = context.own(new context.seal.Ciphertext());
      context.loadInto(ciphertext, top, 'top');
      context.evaluator.cipherModSwitchToNextInplace(ciphertext);
      const lower = context.saveUncompressed(ciphertext);
      context.release(ciphertext);

      const shares: Uint8Array[][] = [];
      for (const key of keys) shares.push(await createDecryptionShare(context, key.secretShare, [lower], smudging));
      expect(shares[0]?.[0]?.length).toBe(SHARE_HEADER_BYTES + 2 * 8192 * 8); // 2 primes instead of 3
      const decrypted = await combineDecryptionShares(context, [lower], shares, values.length);
      decrypted.forEach((value, index) => expect(Math.abs(value - (values[index] as number))).toBeLessThan(1e-5));
    } finally {
      context.dispose();
    }
    expect(liveSealHandleCount()).toBe(before);
  });
});
