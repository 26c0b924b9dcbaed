/**
 * Loading and encrypting under the collective key for the coefficient path: a forward ciphertext
 * (a party's Enc(forward part) or the coordinator's sum Enc(d)) must be one two-polynomial, NTT-form,
 * non-transparent ciphertext at the top data level with the job's scale; anything else is refused.
 */
import type { Ciphertext, Encryptor } from 'node-seal';
import { CiphertextError, KeyCustodyError } from '../../errors.js';
import type { ThresholdCkksContext } from '../threshold/threshold-context.js';

/** Loads and checks a forward ciphertext; the caller releases the returned handle. */
export function loadForwardCiphertext(context: ThresholdCkksContext, bytes: Uint8Array, where: string): Ciphertext {
  if (!(bytes instanceof Uint8Array) || bytes.length < 16) throw new CiphertextError(`${where}: not a SEAL ciphertext`);
  // SEAL ignores bytes after the size its header declares: accept exactly one object.
  const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(8, true);
  if (declared !== BigInt(bytes.length)) throw new CiphertextError(`${where}: ${bytes.length} bytes, but its SEAL header declares ${declared}`);
  const ciphertext = context.own(new context.seal.Ciphertext());
  try {
    context.loadInto(ciphertext, bytes, where);
    const top = context.dataLevels[0];
    const problems: string[] = [];
    if (ciphertext.size() !== 2) problems.push(`has ${ciphertext.size()} polynomials, expected 2`);
    if (!ciphertext.isNttForm()) problems.push('is not in NTT form');
    if (ciphertext.coeffModulusSize() !== top?.primeCount) problems.push(`is not at the top data level (${ciphertext.coeffModulusSize()} primes)`);
    if (ciphertext.isTransparent()) problems.push('is transparent (it hides nothing)');
    if (ciphertext.scale() !== context.scale) problems.push(`has scale 2^${Math.log2(ciphertext.scale()).toFixed(2)}, expected 2^${context.parameters.scaleBits}`);
    if (problems.length > 0) throw new CiphertextError(`${where}: ciphertext ${problems.join('; ')}`);
    return ciphertext;
  } catch (error) {
    context.release(ciphertext);
    throw error;
  }
}

/** Runs `use` with an Encryptor for the collective public key; every handle is released after. */
export function withPublicKeyEncryptor<T>(context: ThresholdCkksContext, publicKey: Uint8Array, use: (encryptor: Encryptor) => T): T {
  const key = context.own(new context.seal.PublicKey());
  let encryptor: Encryptor | undefined;
  try {
    try {
      context.loadInto(key, publicKey, 'collective public key');
    } catch (error) {
      throw new KeyCustodyError('the collective public key does not load under the federation\'s CKKS parameters', { cause: error });
    }
    encryptor = context.own(new context.seal.Encryptor(context.context, key));
    return use(encryptor);
  } finally {
    if (encryptor) context.release(encryptor);
    context.release(key);
  }
}
