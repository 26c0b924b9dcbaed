/**
 * The plaintext polynomial X^(N/2) in NTT form: multiplying by it multiplies every CKKS slot by i.
 * (Slot j evaluates the polynomial at zeta^(5^j) with zeta = e^(i*pi/N); (zeta^(5^j))^(N/2) = i^(5^j) = i
 * because 5^j = 1 mod 4.) It is a monomial, so it only rotates a ciphertext's coefficients: the noise
 * keeps its size, and with scale 1 the ciphertext's scale is unchanged.
 *
 * HEFL packs two real vectors into one ciphertext as z + i*w: Enc(encode(w)) * X^(N/2) + encode(z), and
 * reads w back as -Re(decode(m * X^(N/2))). node-seal exposes no complex encoder, so this is how the
 * imaginary halves of the N/2 slots get used.
 */
import type { Ciphertext, Evaluator, Plaintext, SEALContext } from 'node-seal';
import { CiphertextError } from '../errors.js';
import { noteSealHandlesCreated, noteSealHandlesDeleted } from './seal-handle-count.js';
import { describeSealFailure } from './describe-seal-failure.js';
import type { Seal } from './load-seal.js';
import { parseSealCiphertext, writeSealCiphertext, writeSealPlaintext } from './threshold/seal-layout.js';
import { polyWordCount } from './threshold/rns-words.js';

export interface ImaginaryUnitLevel {
  readonly parmsId: Uint8Array;
  readonly primeCount: number;
}

/** Builds X^(N/2) at `level` (a data level of `context`); the caller owns the returned Plaintext. */
export function imaginaryUnitPlaintext(seal: Seal, context: SEALContext, evaluator: Evaluator, level: ImaginaryUnitLevel, polyModulusDegree: number): Plaintext {
  const polyWords = polyWordCount(polyModulusDegree, level.primeCount);
  const monomial = new Uint32Array(polyWords);
  // Coefficient N/2 is 1 modulo every prime (low word of the u64 at index prime*N + N/2).
  for (let prime = 0; prime < level.primeCount; prime += 1) monomial[2 * (prime * polyModulusDegree + polyModulusDegree / 2)] = 1;
  // SEAL transforms ciphertexts, not CKKS plaintexts, to NTT form, and refuses a transparent one: carry
  // the monomial as both polynomials of a coefficient-form ciphertext.
  const blob = writeSealCiphertext({ parmsId: level.parmsId, isNttForm: false, polyModulusDegree, primeCount: level.primeCount, scale: 1, polys: [monomial, monomial] });
  const carrier = new seal.Ciphertext();
  noteSealHandlesCreated(1);
  let ntt: Uint32Array;
  try {
    carrier.loadFromArray(context, blob);
    evaluator.cipherTransformToNttInplace(carrier);
    ntt = parseSealCiphertext(carrier.saveToArray(seal.ComprModeType.none) as Uint8Array, 'X^(N/2)').polys[0] as Uint32Array;
  } finally {
    carrier.delete();
    noteSealHandlesDeleted(1);
  }
  const plaintext = new seal.Plaintext();
  try {
    plaintext.loadFromArray(context, writeSealPlaintext({ parmsId: level.parmsId, scale: 1, words: ntt }));
  } catch (error) {
    plaintext.delete();
    throw error;
  }
  return plaintext;
}

export interface ImaginaryUnitServices {
  readonly seal: Seal;
  readonly context: SEALContext;
  readonly evaluator: Evaluator;
  readonly polyModulusDegree: number;
}

/**
 * words * X^(N/2) (+ `addend`) for one NTT-form polynomial at `level`. SEAL multiplies no two
 * plaintexts, so the polynomial rides as both polynomials of `carrier` (a ciphertext handle the caller
 * owns; SEAL refuses a transparent one), is multiplied by `unit` there, gets `addend` added to its first
 * polynomial, and that polynomial comes back. Every JS copy of the bytes on the way is wiped.
 */
export function multiplyByImaginaryUnit(
  services: ImaginaryUnitServices,
  carrier: Ciphertext,
  unit: Plaintext,
  level: ImaginaryUnitLevel,
  scale: number,
  words: Uint32Array,
  addend?: Plaintext,
): Uint32Array {
  const carried = writeSealCiphertext({ parmsId: level.parmsId, isNttForm: true, polyModulusDegree: services.polyModulusDegree, primeCount: level.primeCount, scale, polys: [words, words] });
  let saved: Uint8Array | undefined;
  try {
    try {
      carrier.loadFromArray(services.context, carried);
    } catch (thrown) {
      throw new CiphertextError(`a polynomial to multiply by X^(N/2) does not load: ${describeSealFailure(thrown)}`);
    }
    services.evaluator.multiplyPlainInplace(carrier, unit);
    if (addend) services.evaluator.addPlainInplace(carrier, addend);
    saved = carrier.saveToArray(services.seal.ComprModeType.none) as Uint8Array;
    const [first, second] = parseSealCiphertext(saved, 'X^(N/2) product').polys as [Uint32Array, Uint32Array];
    second.fill(0);
    return first;
  } finally {
    carried.fill(0);
    saved?.fill(0);
  }
}
