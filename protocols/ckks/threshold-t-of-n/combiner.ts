/**
 * Combiner (Lattigo's multiparty.Combiner.GenAdditiveShare): for a committee T of exactly t roster
 * members, member j turns its t-of-N share into a t-of-t additive share of the collective key,
 *   s'_j = λ_j(T)·S(α_j),   Σ_{j∈T} s'_j = s,
 * and releases the usual flooded partial decryption d_j = c1·s'_j + E_j (createDecryptionShare, the
 * N-of-N code path, unchanged). c0 + Σ_{j∈T} d_j = m + e + Σ_T E_j decrypts (combineDecryptionShares).
 *
 * λ is applied to the KEY, never to a finished share: λ is a full-size residue, and λ·(c1·S + E) would
 * multiply the flooding noise E by it. λ·S(α_j) is one SEAL multiplyPlain by a constant NTT-form
 * plaintext (λ mod q_p in every slot of prime p) in the key-level helper context; JS only moves bytes.
 *
 * Never release shares for the same c1 to two different committees: λ_j(T)·Y + E and λ_j(T')·Y + E'
 * with public λ's give exact linear relations between the flooding noises (retry-attack.test.ts), the
 * start of the attacks in Lattigo's SECURITY.md and eprint 2025/409. The caller's decryption guard must
 * record (c1 digest → committeeDigest) before a share leaves.
 */
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { combineDecryptionShares } from '../threshold/combine-decryption-shares.js';
import { createDecryptionShare, type DecryptionShareOptions } from '../threshold/decryption-share.js';
import { polyWordCount } from '../threshold/rns-words.js';
import { parseSealCiphertext, writeSealCiphertext, writeSealPlaintext } from '../threshold/seal-layout.js';
import { withThresholdContext, type ThresholdCkksContext } from '../threshold/threshold-context.js';
import { assertCommittee, lagrangeCoefficients, shamirPoints, type CommitteeRules } from './committee.js';
import { keyWords } from './thresholdizer.js';

/** The committee a member decrypts for, with the rules it checks. */
export interface CommitteeRequest extends CommitteeRules {
  readonly committee: readonly string[];
  readonly self: string;
}

/**
 * λ_self(T)·S(α_self) as SEAL SecretKey bytes (the committee's additive key share). Checks the committee
 * first. The caller wipes the result; createCommitteeDecryptionShare does so itself.
 */
export async function committeeKeyShare(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  thresholdShare: Uint8Array,
  request: CommitteeRequest,
): Promise<Uint8Array> {
  const committee = assertCommittee(request.committee, request);
  const points = shamirPoints(request.roster);
  const committeePoints = committee.map((id) => points.get(id) as number);
  return withThresholdContext(parametersOrContext, (context) => {
    const { seal, keyLevel, polyModulusDegree } = context;
    const lambda = lagrangeCoefficients(points.get(request.self) as number, committeePoints, keyLevel.primes.values);
    const share = keyWords(context, thresholdShare, 't-of-N key share');
    const constant = new Uint32Array(polyWordCount(polyModulusDegree, keyLevel.primeCount));
    lambda.forEach((value, prime) => {
      const lo = Number(value & 0xffffffffn);
      const hi = Number(value >> 32n);
      for (let t = 0, w = prime * polyModulusDegree * 2; t < polyModulusDegree; t += 1, w += 2) {
        constant[w] = lo;
        constant[w + 1] = hi;
      }
    });
    const plaintext = context.own(new seal.Plaintext());
    const ciphertext = context.own(new seal.Ciphertext());
    let blob: Uint8Array | undefined;
    let saved: Uint8Array | undefined;
    let product: Uint32Array[] = [];
    try {
      context.loadInto(plaintext, writeSealPlaintext({ parmsId: keyLevel.parmsId, scale: 1, words: constant }), 'Lagrange coefficient', context.keyLevelContext);
      // SEAL refuses one-polynomial ciphertexts and "transparent" products: carry S twice, keep one.
      blob = writeSealCiphertext({ parmsId: keyLevel.parmsId, isNttForm: true, polyModulusDegree, primeCount: keyLevel.primeCount, scale: 1, polys: [share, share] });
      context.loadInto(ciphertext, blob, 't-of-N key share', context.keyLevelContext);
      context.keyLevelEvaluator.multiplyPlainInplace(ciphertext, plaintext);
      saved = context.saveUncompressed(ciphertext);
      product = parseSealCiphertext(saved, 'committee key share').polys as Uint32Array[];
      return writeSealPlaintext({ parmsId: keyLevel.parmsId, scale: 1, words: product[0] as Uint32Array });
    } catch (error) {
      if (error instanceof CiphertextError || error instanceof KeyCustodyError) throw error;
      throw new CiphertextError(`committee key share failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      share.fill(0);
      blob?.fill(0);
      saved?.fill(0);
      for (const words of product) words.fill(0);
      ciphertext.release();
      for (const handle of [ciphertext, plaintext]) context.release(handle);
    }
  });
}

/**
 * Member `self`'s flooded partial decryption of `chunks` for committee T: createDecryptionShare with
 * λ_self(T)·S(α_self). Refuses (KeyCustodyError) a committee that is not exactly t distinct roster
 * members or that does not include `self`. It does NOT check "one committee per c1": the caller's guard must.
 */
export async function createCommitteeDecryptionShare(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  thresholdShare: Uint8Array,
  request: CommitteeRequest,
  chunks: readonly Uint8Array[],
  options: DecryptionShareOptions,
): Promise<Uint8Array[]> {
  return withThresholdContext(parametersOrContext, async (context) => {
    const key = await committeeKeyShare(context, thresholdShare, request);
    try {
      return await createDecryptionShare(context, key, chunks, options);
    } finally {
      key.fill(0);
    }
  });
}

/**
 * c0 + Σ_{j∈T} d_j, decoded: the committee's shares by member id. Refuses a committee that breaks the
 * rules and shares from anyone else or from a member missing.
 */
export async function combineCommitteeShares(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  chunks: readonly Uint8Array[],
  rules: CommitteeRules & { readonly committee: readonly string[] },
  sharesByMember: ReadonlyMap<string, readonly Uint8Array[]>,
  length: number,
): Promise<Float64Array> {
  const committee = assertCommittee(rules.committee, { roster: rules.roster, threshold: rules.threshold });
  const missing = committee.filter((id) => !sharesByMember.has(id));
  const outsiders = [...sharesByMember.keys()].filter((id) => !committee.includes(id));
  if (missing.length > 0 || outsiders.length > 0) {
    throw new KeyCustodyError(`committee shares: ${[...missing.map((id) => `missing ${id}`), ...outsiders.map((id) => `${id} is not on the committee`)].join('; ')}`);
  }
  const shares = committee.map((id) => sharesByMember.get(id) as readonly Uint8Array[]);
  return combineDecryptionShares(parametersOrContext, chunks, shares, length, { expectedParties: rules.threshold });
}
