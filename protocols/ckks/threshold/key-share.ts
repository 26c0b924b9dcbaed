/**
 * One party's key share for the collective key, without a dealer:
 *   s_i — a fresh SEAL secret key, which never leaves the party;
 *   b_i = -(a*s_i + e_i) at the key level, for the common `a` every party expands from the common seed.
 *
 * SEAL's KeyGenerator makes (p0, a_i) = (-(a_i*s_i + e_i), a_i) with its own random a_i, so
 *   b_i = p0 + a_i*s_i - a*s_i.
 * SEAL computes both products in one NTT-domain multiply in the key-level helper context: a seeded
 * ciphertext (a_i, seed) expands to (a_i, a), times the plaintext s_i gives (a_i*s_i, a*s_i). JS only adds.
 * The helper key (p0, a_i) is discarded: published next to b_i it would reveal s_i.
 */
import { CiphertextError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { COMMON_SEED_BYTES } from './common-seed.js';
import { domainHash } from './domain-hash.js';
import { addRnsInPlace, subtractRnsInPlace } from './rns-words.js';
import { parseSealCiphertext, writeSeededSealCiphertext } from './seal-layout.js';
import { encodeShare } from './share-format.js';
import { withThresholdContext, type ThresholdCkksContext } from './threshold-context.js';

const SEED_BINDING_DOMAIN = 'hefl/threshold-ckks/common-seed-binding/v1';
const PUBLIC_SHARE_COMMITMENT_DOMAIN = 'hefl/threshold-ckks/public-share-commitment/v1';

export interface KeyShare {
  /** SEAL SecretKey bytes (uncompressed) of s_i. Stays on the party; wipe with fill(0) when done. */
  readonly secretShare: Uint8Array;
  /** b_i in the compact share format (share-format.ts); published after its commitment. */
  readonly publicShare: Uint8Array;
}

export async function createKeyShare(parametersOrContext: CkksParameters | ThresholdCkksContext, commonSeed: Uint8Array): Promise<KeyShare> {
  checkCommonSeed(commonSeed);
  return withThresholdContext(parametersOrContext, (context) => {
    const { seal, keyLevel, polyModulusDegree } = context;
    const generator = context.own(new seal.KeyGenerator(context.context));
    const secretKey = context.own(generator.secretKey());
    const helperKey = context.own(generator.createPublicKey());
    const product = context.own(new seal.Ciphertext());
    const secretPlain = context.own(new seal.Plaintext());
    let secretShare: Uint8Array | undefined;
    let helperBytes: Uint8Array | undefined;
    let seededBytes: Uint8Array | undefined;
    let productBytes: Uint8Array | undefined;
    const scratch: Uint32Array[] = [];
    try {
      secretShare = context.saveUncompressed(secretKey);
      helperBytes = context.saveUncompressed(helperKey);
      const helper = parseSealCiphertext(helperBytes, 'helper public key');
      const [p0, ai] = helper.polys as [Uint32Array, Uint32Array];
      scratch.push(...helper.polys);

      seededBytes = writeSeededSealCiphertext({
        parmsId: keyLevel.parmsId,
        polyModulusDegree,
        primeCount: keyLevel.primeCount,
        scale: 1,
        firstPoly: ai,
        seed: commonSeed,
      });
      context.loadInto(product, seededBytes, 'key-level product', context.keyLevelContext);
      // The secret key is a Plaintext at the key level, which is the helper context's first data level.
      context.loadInto(secretPlain, secretShare, 'secret share', context.keyLevelContext);
      context.keyLevelEvaluator.multiplyPlainInplace(product, secretPlain);
      productBytes = context.saveUncompressed(product);
      const products = parseSealCiphertext(productBytes, 'key-level product');
      const [aiS, aS] = products.polys as [Uint32Array, Uint32Array];
      scratch.push(...products.polys);

      const b = Uint32Array.from(p0);
      scratch.push(b);
      addRnsInPlace(b, aiS, keyLevel.primes, polyModulusDegree);
      subtractRnsInPlace(b, aS, keyLevel.primes, polyModulusDegree);
      const publicShare = encodeShare({
        kind: 'public-key-share',
        polyModulusDegree,
        level: keyLevel,
        chunkIndex: 0,
        chunkCount: 1,
        binding: commonSeedBinding(commonSeed),
        words: b,
      });
      const result = { secretShare, publicShare };
      secretShare = undefined; // handed to the caller: not wiped below
      return result;
    } catch (error) {
      if (error instanceof CiphertextError) throw error;
      throw new CiphertextError(`key share generation failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      // p0 + a_i*s_i = -e_i and a_i*s_i are secret; the helper key must not survive either.
      for (const words of scratch) words.fill(0);
      secretShare?.fill(0);
      helperBytes?.fill(0);
      seededBytes?.fill(0);
      productBytes?.fill(0);
      secretPlain.setZero(); // SEAL's plaintext pool is not cleared on free, unlike its secret-key pool
      product.release();
      for (const handle of [secretPlain, product, helperKey, secretKey, generator]) context.release(handle);
    }
  });
}

/**
 * SHA-256 hex commitment to a public share, sent before any share is revealed (rogue-key defence):
 * nobody can choose b_i after seeing the others' shares.
 */
export function publicShareCommitment(jobId: string, participantId: string, publicShare: Uint8Array): string {
  if (jobId.length === 0 || participantId.length === 0) throw new CiphertextError('public share commitment needs a job id and a participant id');
  return domainHash('sha256', PUBLIC_SHARE_COMMITMENT_DOMAIN, [jobId, participantId, publicShare]).toString('hex');
}

/** Names the common seed inside public shares, so a share made for another `a` is refused early. */
export function commonSeedBinding(commonSeed: Uint8Array): Uint8Array {
  return new Uint8Array(domainHash('sha256', SEED_BINDING_DOMAIN, [commonSeed]));
}

export function checkCommonSeed(commonSeed: Uint8Array): void {
  if (!(commonSeed instanceof Uint8Array) || commonSeed.length !== COMMON_SEED_BYTES) {
    throw new CiphertextError(`the common seed must be ${COMMON_SEED_BYTES} bytes (deriveCommonSeed)`);
  }
}
