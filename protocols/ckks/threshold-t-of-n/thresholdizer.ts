/**
 * Thresholdizer (Mouchet–Bertrand–Hubaux, eprint 2022/780; Lattigo's multiparty.Thresholdizer): turns
 * the N-of-N additive key shares s_i into a t-of-N Shamir sharing of s = Σ s_i, with no dealer and
 * without anybody ever holding another party's s_i.
 *
 *   party i:  S_i(X) = s_i + r_{i,1}·X + … + r_{i,t−1}·X^{t−1},  r_{i,k} uniform mod every key prime
 *             (node:crypto), sends σ_{i→j} = S_i(α_j) to party j (sealed, see sealed-shamir-share.ts),
 *             keeps σ_{i→i};
 *   party j:  S(α_j) = Σ_i σ_{i→j}, its t-of-N share of s (S = Σ_i S_i, S(0) = s).
 *
 * Everything is at the key level (all primes, special prime included) in NTT form, the layout of a SEAL
 * SecretKey; multiplying by a constant is slot-wise there, and α_j is tiny, so S_i(α_j) is Horner's rule
 * with double-and-add: JS only adds. S(α_j) is returned as SEAL SecretKey bytes, like s_i.
 * Shares travel in the compact share format (kind 'shamir-share'), bound to job, key epoch, collective
 * key fingerprint, threshold, roster, sender and receiver.
 */
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { domainHash } from '../threshold/domain-hash.js';
import { addRnsInPlace, findUnreducedCoefficient, polyWordCount } from '../threshold/rns-words.js';
import { parseSealPlaintext, writeSealPlaintext } from '../threshold/seal-layout.js';
import { decodeShare, encodeShare } from '../threshold/share-format.js';
import { withThresholdContext, type ThresholdCkksContext } from '../threshold/threshold-context.js';
import { assertThreshold, shamirPoints } from './committee.js';
import { multiplyRnsBySmallInteger, uniformRnsPolynomial } from './rns-polynomials.js';

const BINDING_DOMAIN = 'hefl/tofn/shamir-share-binding/v1';

/** What one resharing (one key epoch) is about; every party must agree on all of it. */
export interface ResharingContext {
  readonly jobId: string;
  /** Key epoch: bumped by every resharing, so shares of an older epoch are refused. */
  readonly epoch: number;
  /** collectiveKeyFingerprint of the collective public key whose secret is shared. */
  readonly keyFingerprint: string;
  /** Who receives a share: the members holding the key in this epoch. */
  readonly roster: readonly string[];
  readonly threshold: number;
  /**
   * Who deals: by default the roster itself, each resharing its N-of-N key share s_i (first epoch).
   * For a new key epoch (a node joins, leaves or is revoked), the t members of one committee T of the
   * old epoch, each resharing λ_j(T)·S_old(α_j) (committeeKeyShare): a t-of-t additive sharing of the
   * same s, so the collective key stays. Old shares must then be erased.
   */
  readonly dealers?: readonly string[];
}

/** Names one share σ_{from→to} of one resharing: what the compact share format's binding carries. */
export function shamirShareBinding(resharing: ResharingContext, from: string, to: string): Uint8Array {
  const roster = [...resharing.roster].sort().join('\0');
  const dealers = [...dealersOf(resharing)].sort().join('\0');
  return new Uint8Array(
    domainHash('sha256', BINDING_DOMAIN, [resharing.jobId, String(resharing.epoch), resharing.keyFingerprint, String(resharing.threshold), roster, dealers, from, to]),
  );
}

export function dealersOf(resharing: ResharingContext): readonly string[] {
  return resharing.dealers ?? resharing.roster;
}

/** Checks the context; `as` says whether `self` deals or receives. Returns the receivers' points. */
export function assertResharingContext(resharing: ResharingContext, self: string, as: 'dealer' | 'receiver' = 'receiver'): ReadonlyMap<string, number> {
  const points = shamirPoints(resharing.roster);
  assertThreshold(resharing.threshold, resharing.roster.length);
  if (resharing.jobId.length === 0 || resharing.keyFingerprint.length === 0) throw new KeyCustodyError('resharing needs a job id and the collective key fingerprint');
  if (!Number.isInteger(resharing.epoch) || resharing.epoch < 0) throw new KeyCustodyError(`key epoch ${resharing.epoch} is not a non-negative integer`);
  const dealers = dealersOf(resharing);
  if (dealers.length === 0 || new Set(dealers).size !== dealers.length) throw new KeyCustodyError('the dealers of a resharing must be distinct and at least one');
  if (as === 'receiver' && !points.has(self)) throw new KeyCustodyError(`${self} is not on the roster of this resharing`);
  if (as === 'dealer' && !dealers.includes(self)) throw new KeyCustodyError(`${self} is not a dealer of this resharing`);
  return points;
}

/**
 * Dealer `self`'s Shamir shares of its key share (s_i, or λ_j·S_old(α_j) for a new epoch): one encoded
 * share per roster member, its own included when it is on the roster.
 * The caller seals each share to its recipient and wipes it (fill(0)) once sealed; `secretShare` is
 * left as it is.
 */
export async function thresholdizeKeyShare(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  secretShare: Uint8Array,
  resharing: ResharingContext,
  self: string,
): Promise<Map<string, Uint8Array>> {
  const points = assertResharingContext(resharing, self, 'dealer');
  return withThresholdContext(parametersOrContext, (context) => {
    const { keyLevel, polyModulusDegree } = context;
    const secret = keyWords(context, secretShare, 'secret share');
    const coefficients: Uint32Array[] = [];
    try {
      for (let k = 1; k < resharing.threshold; k += 1) coefficients.push(uniformRnsPolynomial(keyLevel.primes, polyModulusDegree));
      const polynomial = [secret, ...coefficients];
      const shares = new Map<string, Uint8Array>();
      for (const [recipient, point] of points) {
        const words = evaluateAt(polynomial, point, context);
        try {
          shares.set(
            recipient,
            encodeShare({ kind: 'shamir-share', polyModulusDegree, level: keyLevel, chunkIndex: 0, chunkCount: 1, binding: shamirShareBinding(resharing, self, recipient), words }),
          );
        } finally {
          words.fill(0);
        }
      }
      return shares;
    } finally {
      secret.fill(0);
      for (const words of coefficients) words.fill(0);
    }
  });
}

/**
 * S(α_self) = Σ_i σ_{i→self} from the shares of every dealer (its own included), as SEAL
 * SecretKey bytes (SEAL loads it to check). The caller stores it like s_i (0600) and wipes `received`.
 */
export async function aggregateShamirShares(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  received: ReadonlyMap<string, Uint8Array>,
  resharing: ResharingContext,
  self: string,
): Promise<Uint8Array> {
  assertResharingContext(resharing, self);
  const dealers = dealersOf(resharing);
  const missing = dealers.filter((id) => !received.has(id));
  const strangers = [...received.keys()].filter((id) => !dealers.includes(id));
  if (missing.length > 0 || strangers.length > 0) {
    throw new KeyCustodyError(`resharing needs one share from every dealer: ${[...missing.map((id) => `missing ${id}`), ...strangers.map((id) => `${id} is not a dealer`)].join('; ')}`);
  }
  return withThresholdContext(parametersOrContext, (context) => {
    const { keyLevel, polyModulusDegree } = context;
    const sum = new Uint32Array(polyWordCount(polyModulusDegree, keyLevel.primeCount));
    let keyBytes: Uint8Array | undefined;
    try {
      for (const [sender, bytes] of received) {
        const where = `Shamir share from ${sender} to ${self}`;
        const words = decodeShare(bytes, { kind: 'shamir-share', polyModulusDegree, level: keyLevel, chunkIndex: 0, chunkCount: 1, binding: shamirShareBinding(resharing, sender, self) }, where);
        try {
          addRnsInPlace(sum, words, keyLevel.primes, polyModulusDegree);
        } finally {
          words.fill(0);
        }
      }
      keyBytes = writeSealPlaintext({ parmsId: keyLevel.parmsId, scale: 1, words: sum });
      const check = context.own(new context.seal.SecretKey());
      try {
        context.loadInto(check, keyBytes, 't-of-N key share');
      } finally {
        context.release(check);
      }
      const result = keyBytes;
      keyBytes = undefined;
      return result;
    } finally {
      sum.fill(0);
      keyBytes?.fill(0);
    }
  });
}

/** The coefficient words of SEAL SecretKey bytes at the key level, checked; the caller wipes them. */
export function keyWords(context: ThresholdCkksContext, secretKeyBytes: Uint8Array, where: string): Uint32Array {
  const { keyLevel, polyModulusDegree } = context;
  let parsed;
  try {
    parsed = parseSealPlaintext(secretKeyBytes, where);
  } catch (error) {
    throw new KeyCustodyError(`${where} is not a SEAL secret key (uncompressed)`, { cause: error });
  }
  const { words, parmsId } = parsed;
  const problems: string[] = [];
  if (Buffer.compare(Buffer.from(parmsId), Buffer.from(keyLevel.parmsId)) !== 0) problems.push('is not at the key level of these parameters');
  else if (words.length !== polyWordCount(polyModulusDegree, keyLevel.primeCount)) problems.push('has the wrong size');
  else if (findUnreducedCoefficient(words, keyLevel.primes, polyModulusDegree) >= 0) problems.push('has a coefficient that is not below its prime');
  if (problems.length > 0) {
    words.fill(0);
    throw new KeyCustodyError(`${where} ${problems.join('; ')}`);
  }
  return words;
}

/** Σ_k polynomial[k]·α^k by Horner's rule (α small: double-and-add). */
function evaluateAt(polynomial: readonly Uint32Array[], point: number, context: ThresholdCkksContext): Uint32Array {
  const { keyLevel, polyModulusDegree } = context;
  if (polynomial.length === 0) throw new CiphertextError('empty Shamir polynomial');
  let accumulator: Uint32Array = Uint32Array.from(polynomial[polynomial.length - 1] as Uint32Array);
  for (let k = polynomial.length - 2; k >= 0; k -= 1) {
    const scaled = multiplyRnsBySmallInteger(accumulator, point, keyLevel.primes, polyModulusDegree);
    accumulator.fill(0);
    accumulator = scaled;
    addRnsInPlace(accumulator, polynomial[k] as Uint32Array, keyLevel.primes, polyModulusDegree);
  }
  return accumulator;
}
