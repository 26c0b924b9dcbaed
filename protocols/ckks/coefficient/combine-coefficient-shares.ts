/**
 * Step 4 at party i: per feature, c0[0] + own share + every peer's share (mod each prime) is
 * m_0 + noise = 2^(scale+f) <d, x_j> + noise; CRT gives the centred integer, and dividing by
 * 2^(scale+f) gives <d, x_j>. All N shares are needed: without one, the sum is uniformly random mod Q.
 * No SEAL here: only residue additions and one scalar CRT per feature.
 */
import { CiphertextError } from '../../errors.js';
import type { CkksParameters } from '../ckks-parameters.js';
import { ThresholdCkksContext } from '../threshold/threshold-context.js';
import type { KeptCoefficients } from './gradient-products.js';
import { centredFromResidues, crtBasis, decodeResidues, readResidue } from './rns-integers.js';

export interface CombineCoefficientOptions {
  /** Must match the featureScaleBits the products were made with. */
  readonly featureScaleBits: number;
  /** The number of key holders, party i included: exactly this many shares per feature. */
  readonly expectedParties: number;
}

/**
 * `ownShares[j]` is party i's share for feature j, `peerShares[p][j]` peer p's. Returns <d, x_j> per feature.
 * CiphertextError for a wrong count, a malformed share or a share replayed from another party.
 */
export function combineCoefficientShares(
  parametersOrContext: CkksParameters | ThresholdCkksContext,
  kept: KeptCoefficients,
  ownShares: readonly Uint8Array[],
  peerShares: readonly (readonly Uint8Array[])[],
  options: CombineCoefficientOptions,
): number[] {
  const features = kept.residues.length;
  if (options.featureScaleBits !== kept.featureScaleBits) throw new CiphertextError(`the products were made with featureScaleBits ${kept.featureScaleBits}, not ${options.featureScaleBits}`);
  if (peerShares.length + 1 !== options.expectedParties) throw new CiphertextError(`expected coefficient shares from ${options.expectedParties - 1} peers, got ${peerShares.length}`);
  if (ownShares.length !== features) throw new CiphertextError(`own coefficient shares: ${ownShares.length}, expected one per feature (${features})`);
  peerShares.forEach((shares, peer) => {
    if (shares.length !== features) throw new CiphertextError(`peer ${peer} sent ${shares.length} coefficient shares, expected ${features}`);
  });
  const parameters = parametersOrContext instanceof ThresholdCkksContext ? parametersOrContext.parameters : parametersOrContext;
  const primes = kept.level.primes.values;
  const basis = crtBasis(primes);
  const unit = 2 ** (parameters.scaleBits + kept.featureScaleBits);
  return kept.residues.map((c0, feature) => {
    const sums = primes.map((_, prime) => readResidue(c0, 2 * prime));
    const seen = new Set<string>();
    const all = [{ bytes: ownShares[feature] as Uint8Array, where: `own coefficient share of feature ${feature}` }].concat(
      peerShares.map((shares, peer) => ({ bytes: shares[feature] as Uint8Array, where: `coefficient share of peer ${peer}, feature ${feature}` })),
    );
    for (const { bytes, where } of all) {
      const residues = decodeResidues(bytes, primes, where);
      // Fresh flooding makes two honest shares equal with negligible probability: equal ones are a replay.
      const key = residues.join(',');
      if (seen.has(key)) throw new CiphertextError(`${where} duplicates another share`);
      seen.add(key);
      residues.forEach((residue, prime) => (sums[prime] = ((sums[prime] as bigint) + residue) % (primes[prime] as bigint)));
    }
    return Number(centredFromResidues(sums, basis)) / unit;
  });
}
