/**
 * A party's feature column as the integer plaintext polynomial of its gradient product:
 *   p_j = 2^f * (x_0 - sum_{k>=1} x_k X^(N-k)),
 * so that coefficient 0 of m_d * p_j = sum_k m_d[k] * 2^f x_k (X^k * X^(N-k) = X^N = -1 in Z[X]/(X^N+1)).
 * Columns are checked first: every value on the 2^-f grid, within the clip, and (optionally) the column
 * within its RMS bound, because the smudging was sized for exactly these bounds.
 */
import { CiphertextError } from '../../errors.js';
import { polyWordCount, type RnsPrimes } from '../threshold/rns-words.js';
import type { FeatureBounds } from './coefficient-parameters.js';

/** Throws CiphertextError naming the column, row and bound that a column breaks. */
export function checkFeatureColumns(columns: readonly Float64Array[], rows: number, bounds: Omit<FeatureBounds, 'rowsPerBatch'>): void {
  if (columns.length < 1) throw new CiphertextError('no feature columns');
  const grid = 2 ** bounds.featureScaleBits;
  columns.forEach((column, feature) => {
    if (!(column instanceof Float64Array) || column.length !== rows) throw new CiphertextError(`feature ${feature} has ${column.length} rows, the batch has ${rows}`);
    let squares = 0;
    column.forEach((value, row) => {
      if (!Number.isFinite(value) || Math.abs(value) > bounds.maxAbsFeature) throw new CiphertextError(`feature ${feature} row ${row} is ${value}, beyond the clip ±${bounds.maxAbsFeature}`);
      if (!Number.isInteger(value * grid)) throw new CiphertextError(`feature ${feature} row ${row} (${value}) is not a multiple of 2^-${bounds.featureScaleBits}`);
      squares += value * value;
    });
    if (bounds.maxColumnRms !== undefined && Math.sqrt(squares / rows) > bounds.maxColumnRms) {
      throw new CiphertextError(`feature ${feature} has RMS ${Math.sqrt(squares / rows).toFixed(3)} over the batch, above the bound ${bounds.maxColumnRms} the smudging was sized for`);
    }
  });
}

/** p_j in coefficient form as RNS words (|coefficients| <= 2^f * clip, far below every prime). */
export function featurePolynomial(column: Float64Array, featureScaleBits: number, primes: RnsPrimes, polyModulusDegree: number): Uint32Array {
  const words = new Uint32Array(polyWordCount(polyModulusDegree, primes.values.length));
  const grid = 2 ** featureScaleBits;
  primes.values.forEach((_, prime) => {
    const qHi = primes.hi[prime] as number;
    const qLo = primes.lo[prime] as number;
    const base = 2 * prime * polyModulusDegree;
    column.forEach((value, row) => {
      const integer = row === 0 ? value * grid : -value * grid; // exact: on the grid, |.| < 2^32
      const at = base + 2 * (row === 0 ? 0 : polyModulusDegree - row);
      if (integer >= 0) {
        words[at] = integer;
      } else {
        // q - |v| with |v| < 2^32: borrow from the high word
        const lo = qLo + integer;
        words[at] = lo < 0 ? lo + 2 ** 32 : lo;
        words[at + 1] = lo < 0 ? qHi - 1 : qHi;
      }
    });
  });
  return words;
}
