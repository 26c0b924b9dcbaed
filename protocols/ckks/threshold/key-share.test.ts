import { describe, expect, it } from 'vitest';
import { CiphertextError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { CkksSession, liveSealHandleCount } from '../ckks-session.js';
import { COMMON_SEED_BYTES } from './common-seed.js';
import { commonSeedBinding, createKeyShare, publicShareCommitment } from './key-share.js';
import { writeSeededSealCiphertext } from './seal-layout.js';
import { decodeShare, SHARE_HEADER_BYTES } from './share-format.js';
import { ThresholdCkksContext } from './threshold-context.js';
import { DEFAULT_THRESHOLD_CKKS } from './threshold-parameters.js';

const seed = new Uint8Array(COMMON_SEED_BYTES).map((_, index) => index * 37);

describe('createKeyShare', () => {
  it.each<[string, CkksParameters]>([
    ['default parameters', DEFAULT_THRESHOLD_CKKS],
    ['one prime (key level = data level)', { polyModulusDegree: 8192, coeffModulusBits: [60], scaleBits: 40 }],
  ])('(b_i, a) is a working public key for s_i alone — %s', async (_, parameters) => {
    const before = liveSealHandleCount();
    const context = await ThresholdCkksContext.create(parameters);
    try {
      const { secretShare, publicShare } = await createKeyShare(context, seed);
      const { keyLevel, polyModulusDegree } = context;
      expect(publicShare.length).toBe(SHARE_HEADER_BYTES + keyLevel.primeCount * polyModulusDegree * 8);
      const b = decodeShare(publicShare, { kind: 'public-key-share', polyModulusDegree, level: keyLevel, chunkIndex: 0, chunkCount: 1, binding: commonSeedBinding(seed) }, 'b_i');
      // A one-party "collective" key (b_i, a), a expanded by SEAL from the common seed: encrypting under it
      // and decrypting with s_i recovers the values only if b_i = -(a*s_i + e_i) with small e_i.
      const publicKey = writeSeededSealCiphertext({ parmsId: keyLevel.parmsId, polyModulusDegree, primeCount: keyLevel.primeCount, scale: 1, firstPoly: b, seed });
      const encrypting = await CkksSession.create(parameters, { publicKey });
      const decrypting = await CkksSession.create(parameters, { secretKey: secretShare });
      try {
        const values = Float64Array.from({ length: 100 }, (_, index) => index - 50.25);
        const decrypted = decrypting.decryptVector(encrypting.encryptVector(values), values.length);
        decrypted.forEach((value, index) => expect(value).toBeCloseTo(values[index] as number, 3));
      } finally {
        encrypting.dispose();
        decrypting.dispose();
      }
    } finally {
      context.dispose();
    }
    expect(liveSealHandleCount()).toBe(before);
  });

  it('gives fresh shares each time and refuses a malformed common seed', async () => {
    const first = await createKeyShare(DEFAULT_THRESHOLD_CKKS, seed);
    const second = await createKeyShare(DEFAULT_THRESHOLD_CKKS, seed);
    expect(first.publicShare).not.toEqual(second.publicShare);
    expect(first.secretShare).not.toEqual(second.secretShare);
    await expect(createKeyShare(DEFAULT_THRESHOLD_CKKS, seed.subarray(0, 32))).rejects.toThrow(CiphertextError);
  });

  it('commits to a public share bound to job and participant', () => {
    const share = new Uint8Array([1, 2, 3]);
    const commitment = publicShareCommitment('job', 'alice', share);
    expect(commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(publicShareCommitment('job', 'alice', Uint8Array.from(share))).toBe(commitment);
    expect(publicShareCommitment('job', 'bob', share)).not.toBe(commitment);
    expect(publicShareCommitment('job2', 'alice', share)).not.toBe(commitment);
    expect(publicShareCommitment('job', 'alice', new Uint8Array([1, 2, 4]))).not.toBe(commitment);
  });
});
