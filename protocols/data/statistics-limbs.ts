import { CiphertextError, DatasetError } from '../errors.js';

/**
 * Round-0 statistics as fixed-point limbs (README, "Round 0"). A node's per-column sums, sums of
 * squares and row count can reach 2^132, far beyond what a CKKS chunk decodes (2^48 under the
 * threshold defaults). Each statistic S is therefore rounded to a multiple of a public quantum 2^low
 * and written as balanced base-2^20 digits, S ≈ Σ_k d_k · 2^(low + 20k) with integers |d_k| ≤ 2^19;
 * the digits are what a node encrypts. Summed over P nodes a digit stays an integer of magnitude
 * ≤ P · 2^19, so after decryption each one is rounded back to that integer (CKKS noise is ~1e-7) and
 * the totals are rebuilt exactly in BigInt. The schedule is public and fixed by the column count,
 * never by a node's data: every node's vector has the same length and layout.
 */
export const LIMB_BITS = 20;
/** |digit| of one node. */
export const MAX_NODE_DIGIT = 2 ** (LIMB_BITS - 1);
/** The largest |value| a numeric CSV cell may hold (checked when the CSV is read). */
export const MAX_ABS_FEATURE_VALUE = 1e15;
/** The most rows one node may bring (checked before the statistics are computed). */
export const MAX_ROWS_PER_NODE = 2 ** 32;

export interface LimbSchedule {
  /** log2 of the quantum: S is rounded to a multiple of 2^lowBit. */
  readonly lowBit: number;
  /** Digits per statistic; they carry |S| < 2^(lowBit + LIMB_BITS · limbs - 1). */
  readonly limbs: number;
}

/** Sums: |S| ≤ 2^32 rows · 1e15 < 2^82; quantum 2^-64. */
export const SUM_SCHEDULE: LimbSchedule = Object.freeze({ lowBit: -64, limbs: 8 });
/** Sums of squares: ≤ 2^32 · 1e30 < 2^132; quantum 2^-84 (a std of 1e-9 over one row still resolves). */
export const SQUARES_SCHEDULE: LimbSchedule = Object.freeze({ lowBit: -84, limbs: 11 });
/** Row count: an integer below 2^33. */
export const COUNT_SCHEDULE: LimbSchedule = Object.freeze({ lowBit: 0, limbs: 2 });

/**
 * Length of the encrypted round-0 vector for `columns` numeric columns, `counted` of which are
 * filled with the federated mean and so also count their present cells (protocols/data/missing-values.ts).
 */
export function countStatisticsLimbs(columns: number, counted = 0): number {
  return columns * (SUM_SCHEDULE.limbs + SQUARES_SCHEDULE.limbs) + (counted + 1) * COUNT_SCHEDULE.limbs;
}

/** Raw statistics: [sums | sums of squares | present-cell counts of mean-filled columns | row count]. */
export function countRawStatistics(columns: number, counted = 0): number {
  return 2 * columns + counted + 1;
}

/** The schedule of statistic `index` in the raw layout (counts are integers below 2^33 like the row count). */
function scheduleOf(index: number, columns: number): LimbSchedule {
  if (index < columns) return SUM_SCHEDULE;
  return index < 2 * columns ? SQUARES_SCHEDULE : COUNT_SCHEDULE;
}

/** Balanced base-2^LIMB_BITS digits of round(value / 2^lowBit), least significant first. */
export function splitIntoLimbs(value: number, schedule: LimbSchedule): number[] {
  if (!Number.isFinite(value)) throw new DatasetError(`a round-0 statistic is ${value}; it must be finite`);
  // Scaling by a power of two is exact; Number → BigInt is exact for any integral double.
  let rest = BigInt(Math.round(value * 2 ** -schedule.lowBit));
  const base = 1n << BigInt(LIMB_BITS);
  const half = base >> 1n;
  const digits: number[] = [];
  for (let limb = 0; limb < schedule.limbs; limb += 1) {
    let digit = ((rest % base) + base) % base;
    if (digit >= half) digit -= base;
    digits.push(Number(digit));
    rest = (rest - digit) / base;
  }
  if (rest !== 0n) {
    throw new DatasetError(
      `a round-0 statistic of ${value} exceeds the ${schedule.limbs} limbs of 2^${LIMB_BITS} its schedule carries ` +
        `(values are limited to |x| ≤ ${MAX_ABS_FEATURE_VALUE} and ${MAX_ROWS_PER_NODE} rows per node)`,
    );
  }
  return digits;
}

/** The raw statistics of `columns` columns (`counted` of them mean-filled) as the vector a node encrypts. */
export function encodeStatisticsLimbs(statistics: ArrayLike<number>, columns: number, counted = 0): Float64Array {
  const expected = countRawStatistics(columns, counted);
  if (statistics.length !== expected) {
    throw new DatasetError(`feature statistics have ${statistics.length} values; ${columns} numeric columns${counted ? ` (${counted} mean-filled)` : ''} need ${expected}`);
  }
  const vector = new Float64Array(countStatisticsLimbs(columns, counted));
  let offset = 0;
  for (let index = 0; index < statistics.length; index += 1) {
    const digits = splitIntoLimbs(statistics[index] as number, scheduleOf(index, columns));
    vector.set(digits, offset);
    offset += digits.length;
    digits.fill(0);
  }
  return vector;
}

/** How far a decoded digit sum may sit from an integer: CKKS noise is ~1e-7 (threshold) or less. */
const INTEGER_TOLERANCE = 0.25;

/**
 * The decoded digit sums of one statistic back to its total. A digit sum that is no integer within
 * the noise, or beyond what `contributors` nodes can add up to, means the decryption wrapped or a
 * node sent digits outside the schedule: refused, naming the cause rather than reading garbage.
 */
export function joinLimbs(decoded: ArrayLike<number>, offset: number, schedule: LimbSchedule, contributors: number): number {
  const bound = Math.max(1, contributors) * MAX_NODE_DIGIT;
  let total = 0n;
  for (let limb = schedule.limbs - 1; limb >= 0; limb -= 1) {
    const value = decoded[offset + limb] as number;
    const digit = Math.round(value);
    if (!Number.isFinite(value) || Math.abs(value - digit) > INTEGER_TOLERANCE || Math.abs(digit) > bound) {
      throw new CiphertextError(
        `the decrypted round-0 statistics are out of range (value ${offset + limb} is ${value}, not an integer of magnitude ` +
          `≤ ${bound} for ${contributors} contributors): the encrypted sum exceeds what the job's CKKS parameters decode ` +
          '(a wrapped decryption), or a node sent statistics outside the schedule; use parameters with more data-modulus headroom ' +
          'above the scale, and check that every node runs the same HEFL protocol version',
      );
    }
    total = (total << BigInt(LIMB_BITS)) + BigInt(digit);
  }
  // Number(BigInt) rounds to the nearest double; the power-of-two scaling is exact.
  return Number(total) * 2 ** schedule.lowBit;
}

/** The decrypted round-0 vector of `contributors` nodes back to raw totals (layout of countRawStatistics). */
export function decodeStatisticsLimbs(decoded: ArrayLike<number>, columns: number, contributors: number, counted = 0): Float64Array {
  const expected = countStatisticsLimbs(columns, counted);
  if (decoded.length !== expected) {
    throw new CiphertextError(`the round-0 aggregate has ${decoded.length} values; ${columns} numeric columns${counted ? ` (${counted} mean-filled)` : ''} need ${expected}`);
  }
  const totals = new Float64Array(countRawStatistics(columns, counted));
  let offset = 0;
  for (let index = 0; index < totals.length; index += 1) {
    const schedule = scheduleOf(index, columns);
    totals[index] = joinLimbs(decoded, offset, schedule, contributors);
    offset += schedule.limbs;
  }
  return totals;
}
