/**
 * Ranks on the wire (Int32 little-endian, one per position of the owner's list) and the owner's check
 * that they form a valid answer before it uses them.
 */
import { PsiError } from './psi-error.js';

export function encodeRanks(ranks: Int32Array): Uint8Array {
  const out = new Uint8Array(ranks.length * 4);
  const view = new DataView(out.buffer);
  for (let index = 0; index < ranks.length; index += 1) view.setInt32(index * 4, ranks[index] as number, true);
  return out;
}

/** Decodes and range-checks (−1 or 0 ≤ rank < count); the full permutation check is checkRanks. */
export function decodeRanks(bytes: Uint8Array, expectedCount: number): Int32Array {
  if (bytes.length !== expectedCount * 4) throw new PsiError(`ranks: expected ${expectedCount} Int32 values (${expectedCount * 4} bytes), got ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ranks = new Int32Array(expectedCount);
  for (let index = 0; index < expectedCount; index += 1) {
    const rank = view.getInt32(index * 4, true);
    if (rank < -1 || rank >= expectedCount) throw new PsiError(`ranks: position ${index} has rank ${rank}, outside −1 .. ${expectedCount - 1}`);
    ranks[index] = rank;
  }
  return ranks;
}

/**
 * For an owner whose list position i holds row slotRow[i] (−1: padding): checks that the ranks of real
 * positions are a partial permutation of 0..n−1, that padding got −1, and returns the row of each rank.
 */
export function rowsByRank(ranks: Int32Array, slotRow: Int32Array): Int32Array {
  if (ranks.length !== slotRow.length) throw new PsiError(`ranks: ${ranks.length} values for a list of ${slotRow.length} elements`);
  let size = 0;
  for (const rank of ranks) if (rank >= 0) size += 1;
  const rows = new Int32Array(size).fill(-1);
  for (let index = 0; index < ranks.length; index += 1) {
    const rank = ranks[index] as number;
    if (rank === -1) continue;
    if (!Number.isInteger(rank) || rank < -1 || rank >= size) throw new PsiError(`ranks: position ${index} has rank ${rank}, outside −1 .. ${size - 1}`);
    const row = slotRow[index] as number;
    if (row < 0) throw new PsiError(`ranks: padding position ${index} was given rank ${rank}`);
    if (rows[rank] !== -1) throw new PsiError(`ranks: rank ${rank} is given twice`);
    rows[rank] = row;
  }
  return rows;
}
