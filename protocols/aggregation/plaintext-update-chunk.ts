import { WireMessageError } from '../errors.js';

/**
 * Custody `none` (HE switched off, the benchmark baseline): an update chunk is its values as
 * little-endian float32, as plaintext federated learning sends them. Nothing else in HEFL sends values
 * in the clear; the egress guard lets these out only where the node allowed it.
 */
export function encodePlaintextUpdateChunk(values: ArrayLike<number>, start: number, end: number): Uint8Array {
  const chunk = new Float32Array(Math.max(0, end - start));
  for (let index = start; index < end; index += 1) {
    const value = values[index] as number;
    if (!Number.isFinite(value)) throw new WireMessageError(`value at index ${index} is not finite; refusing to send it`);
    chunk[index - start] = value;
  }
  return new Uint8Array(chunk.buffer);
}

/** The values of one plaintext chunk; refuses a size other than `expectedValues` float32s, or a non-finite value. */
export function decodePlaintextUpdateChunk(bytes: Uint8Array, expectedValues: number, where: string): Float32Array {
  if (bytes.length !== expectedValues * 4) {
    throw new WireMessageError(`${where}: ${bytes.length} bytes, expected ${expectedValues} float32 values (${expectedValues * 4} bytes)`);
  }
  const values = new Float32Array(expectedValues);
  new Uint8Array(values.buffer).set(bytes);
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new WireMessageError(`${where}: value ${bad} is not finite`);
  return values;
}
