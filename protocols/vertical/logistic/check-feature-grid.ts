/**
 * Throws unless every value is a multiple of 2^-bits with |x| ≤ clip: what the encrypted path encodes
 * exactly at plaintext scale 2^bits. Training on anything else would let the plaintext reference and
 * the encrypted run drift apart.
 */
export function checkFeatureGrid(partyId: string, columns: readonly Float64Array[], bits: number, clip: number, names?: readonly string[]): void {
  const scale = 2 ** bits;
  for (const [feature, column] of columns.entries()) {
    for (let row = 0; row < column.length; row += 1) {
      const value = column[row] as number;
      const scaled = value * scale;
      if (!(Math.abs(value) <= clip) || !Number.isInteger(scaled)) {
        throw new RangeError(
          `party ${partyId}, feature "${names?.[feature] ?? feature}", row ${row}: ${value} is not a multiple of 2^-${bits} within ±${clip}`,
        );
      }
    }
  }
}
