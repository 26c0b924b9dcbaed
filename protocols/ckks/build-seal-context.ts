import type { SEALContext } from 'node-seal';
import { CiphertextError } from '../errors.js';
import type { CkksParameters } from './ckks-parameters.js';
import { describeSealFailure } from './describe-seal-failure.js';
import type { Seal } from './load-seal.js';
import { noteSealHandlesCreated, noteSealHandlesDeleted } from './seal-handle-count.js';

/**
 * The one place HEFL builds a CKKS SEALContext for a federation's parameters and enforces SEAL's
 * 128-bit security level (HomomorphicEncryption.org table, `SecLevelType.tc128`): SEAL marks a context
 * whose modulus is too large for N as not set, and that is refused here. Any SEAL failure on the way
 * (CoeffModulus.Create finding no primes, say) becomes a CiphertextError. The caller owns the returned
 * context and counts it when it takes it; the transient handles made here are counted while they live.
 */
export function buildSealContext(seal: Seal, parameters: CkksParameters): SEALContext {
  const encryptionParameters = new seal.EncryptionParameters(seal.SchemeType.ckks);
  noteSealHandlesCreated(1);
  let moduli: ReturnType<Seal['CoeffModulus']['Create']> | undefined;
  let context: SEALContext;
  try {
    moduli = seal.CoeffModulus.Create(parameters.polyModulusDegree, Int32Array.from(parameters.coeffModulusBits));
    noteSealHandlesCreated(1);
    encryptionParameters.setPolyModulusDegree(parameters.polyModulusDegree);
    encryptionParameters.setCoeffModulus(moduli);
    context = new seal.SEALContext(encryptionParameters, true, seal.SecLevelType.tc128);
  } catch (thrown) {
    throw new CiphertextError(`CKKS parameters rejected by SEAL: ${describeSealFailure(thrown)}`);
  } finally {
    if (moduli) {
      moduli.delete();
      noteSealHandlesDeleted(1);
    }
    encryptionParameters.delete();
    noteSealHandlesDeleted(1);
  }
  if (!context.parametersSet()) {
    context.delete();
    throw new CiphertextError(
      `CKKS parameters are not 128-bit secure or not valid for SEAL (N=${parameters.polyModulusDegree}, ` +
        `primes=${parameters.coeffModulusBits.join('+')} bits)`,
    );
  }
  return context;
}
