import type { KeptCoefficients } from '../../../protocols/ckks/coefficient/index.js';
import type { ThresholdCkksContext, RnsLevel } from '../../../protocols/ckks/threshold/threshold-context.js';
import { CiphertextError } from '../../../protocols/errors.js';

/**
 * The c0 coefficients a party keeps beside the gradient products it posted, as bytes for its outbox
 * (participant/vertical/vertical-outbox.ts): after a restart it combines the shares others made for
 * those very products. Local only; never sent.
 */
export function encodeKeptCoefficients(kept: KeptCoefficients): Uint8Array {
  return new Uint8Array(
    Buffer.from(
      JSON.stringify({
        featureScaleBits: kept.featureScaleBits,
        c1Digests: kept.c1Digests,
        residues: kept.residues.map((words) => Buffer.from(words.buffer, words.byteOffset, words.byteLength).toString('base64')),
      }),
      'utf8',
    ),
  );
}

export function decodeKeptCoefficients(context: ThresholdCkksContext, bytes: Uint8Array): KeptCoefficients {
  const raw = JSON.parse(Buffer.from(bytes).toString('utf8')) as { featureScaleBits: number; c1Digests: string[]; residues: string[] };
  const level = context.dataLevels[0] as RnsLevel | undefined;
  if (!level || !Array.isArray(raw.residues) || raw.residues.length !== raw.c1Digests.length) throw new CiphertextError('the kept coefficients in the outbox are damaged');
  return {
    level,
    featureScaleBits: raw.featureScaleBits,
    c1Digests: raw.c1Digests,
    residues: raw.residues.map((text) => new Uint32Array(Uint8Array.from(Buffer.from(text, 'base64')).buffer)),
  };
}
