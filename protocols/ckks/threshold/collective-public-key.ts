/**
 * The collective public key (sum b_i, a) = (-(a*s + e), a) with s = sum s_i, e = sum e_i: an ordinary SEAL
 * PublicKey for the secret nobody holds. It is written as a *seeded* SEAL PublicKey (c0 = sum b_i, seed =
 * common seed; SEAL expands `a` on load), which halves its size and makes it a pure function of the
 * shares and the seed, so every party recomputes it and compares fingerprints.
 */
import { createHash } from 'node:crypto';
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { domainHash } from './domain-hash.js';
import { checkCommonSeed, commonSeedBinding } from './key-share.js';
import { addRnsInPlace } from './rns-words.js';
import { writeSeededSealCiphertext } from './seal-layout.js';
import { decodeShare } from './share-format.js';
import { withThresholdContext, type ThresholdCkksContext } from './threshold-context.js';

const FINGERPRINT_DOMAIN = 'hefl/threshold-ckks/collective-key/v1';

/**
 * Sums the public shares (one per party, at least two) into SEAL PublicKey bytes that
 * `CkksSession.create(parameters, { publicKey })` accepts. The order of the shares does not matter.
 */
export async function combinePublicShares(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  commonSeed: Uint8Array,
  publicShares: readonly Uint8Array[],
): Promise<Uint8Array> {
  checkCommonSeed(commonSeed);
  if (publicShares.length < 2) {
    throw new KeyCustodyError(`a collective key needs at least 2 public shares, got ${publicShares.length}: one party would hold the whole key`);
  }
  return withThresholdContext(parametersOrContext, (context) => {
    const { keyLevel, polyModulusDegree } = context;
    const binding = commonSeedBinding(commonSeed);
    const seen = new Set<string>();
    let sum: Uint32Array | undefined;
    publicShares.forEach((share, index) => {
      const where = `public share ${index}`;
      const words = decodeShare(share, { kind: 'public-key-share', polyModulusDegree, level: keyLevel, chunkIndex: 0, chunkCount: 1, binding }, where);
      // The same share twice would double one party's secret and drop another's: refuse replays.
      const digest = createHash('sha256').update(share).digest('hex');
      if (seen.has(digest)) throw new CiphertextError(`${where} repeats an earlier share`);
      seen.add(digest);
      if (sum) addRnsInPlace(sum, words, keyLevel.primes, polyModulusDegree);
      else sum = words;
    });
    const publicKeyBytes = writeSeededSealCiphertext({
      parmsId: keyLevel.parmsId,
      polyModulusDegree,
      primeCount: keyLevel.primeCount,
      scale: 1,
      firstPoly: sum as Uint32Array,
      seed: commonSeed,
    });
    // Let SEAL confirm it is a valid PublicKey for these parameters before anyone encrypts under it.
    const publicKey = context.own(new context.seal.PublicKey());
    try {
      context.loadInto(publicKey, publicKeyBytes, 'collective public key');
    } finally {
      context.release(publicKey);
    }
    return publicKeyBytes;
  });
}

/** SHA-256 hex of the collective key bytes; parties compare it before anyone encrypts. */
export function collectiveKeyFingerprint(publicKeyBytes: Uint8Array): string {
  return domainHash('sha256', FINGERPRINT_DOMAIN, [publicKeyBytes]).toString('hex');
}
