/**
 * c1 * s_k by SEAL: Decryptor(s_k).decrypt on the ciphertext (0, c1) returns c1*s_k in NTT form.
 * Used by the key holder's coefficient share (and by tests that decrypt products in full).
 */
import type { Decryptor } from 'node-seal';
import { KeyCustodyError } from '../../errors.js';
import { parseSealPlaintext, writeSealCiphertext } from '../threshold/seal-layout.js';
import type { RnsLevel, ThresholdCkksContext } from '../threshold/threshold-context.js';

/** Runs `use` with a Decryptor for one secret share; the key handles are released (and cleared by SEAL) after. */
export function withSecretShare<T>(context: ThresholdCkksContext, secretShare: Uint8Array, use: (decryptor: Decryptor) => T): T {
  const secretKey = context.own(new context.seal.SecretKey());
  let decryptor: Decryptor | undefined;
  try {
    try {
      context.loadInto(secretKey, secretShare, 'secret share');
    } catch (error) {
      throw new KeyCustodyError('the secret share does not load as a SEAL secret key for these parameters', { cause: error });
    }
    decryptor = context.own(new context.seal.Decryptor(context.context, secretKey));
    return use(decryptor);
  } finally {
    if (decryptor) context.release(decryptor);
    context.release(secretKey);
  }
}

/** c1 * s_k (NTT form words). The result reveals s_k to anyone who knows c1: the caller wipes it. */
export function multiplyBySecret(context: ThresholdCkksContext, decryptor: Decryptor, level: RnsLevel, c1: Uint32Array): Uint32Array {
  const zero = new Uint32Array(c1.length);
  const blob = writeSealCiphertext({ parmsId: level.parmsId, isNttForm: true, polyModulusDegree: context.polyModulusDegree, primeCount: level.primeCount, scale: 1, polys: [zero, c1] });
  const ciphertext = context.own(new context.seal.Ciphertext());
  const plaintext = context.own(new context.seal.Plaintext());
  let saved: Uint8Array | undefined;
  try {
    context.loadInto(ciphertext, blob, 'c1');
    decryptor.decrypt(ciphertext, plaintext);
    saved = context.saveUncompressed(plaintext);
    return parseSealPlaintext(saved, 'c1 * s').words;
  } finally {
    saved?.fill(0);
    plaintext.setZero(); // SEAL's plaintext pool is not cleared on free
    context.release(plaintext);
    context.release(ciphertext);
  }
}
