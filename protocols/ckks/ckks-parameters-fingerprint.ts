import { createHash } from 'node:crypto';
import type { CkksParameters } from './ckks-parameters.js';

/** SHA-256 (hex) over a canonical rendering of the CKKS parameters; pins them across nodes. */
export function ckksParametersFingerprint(parameters: CkksParameters): string {
  const canonical = JSON.stringify({
    scheme: 'ckks',
    polyModulusDegree: parameters.polyModulusDegree,
    coeffModulusBits: parameters.coeffModulusBits,
    scaleBits: parameters.scaleBits,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
