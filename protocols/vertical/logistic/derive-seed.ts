import { createHash } from 'node:crypto';

/**
 * A 32-bit PRNG seed from the job's shared seed string and a purpose label ("split", "epoch/3").
 * Every party derives the same value without talking; the label keeps the split and each epoch's
 * shuffle independent streams rather than one stream consumed in an order parties must agree on.
 */
export function deriveSeed(seed: string, purpose: string): number {
  const digest = createHash('sha256').update(`hefl/vertical-logistic/v1\0${seed}\0${purpose}`, 'utf8').digest();
  return digest.readUInt32BE(0);
}
