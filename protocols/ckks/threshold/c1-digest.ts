/**
 * What a partial decryption reveals depends only on c1: d_i = c1·s_i + E_i. Two shares for one c1
 * under different decryption sets, or more than the smudging budget allows, leak the key share, so
 * a party keys its decryption guard by this digest of each chunk's c1 (and its level), not by round.
 */
import { createHash } from 'node:crypto';
import type { CkksParameters } from '../ckks-parameters.js';
import { ThresholdCkksContext, withThresholdContext } from './threshold-context.js';

/** SHA-256 (hex) of each chunk's c1 polynomial and parms_id, after SEAL loads and checks the chunk. */
export async function c1Digests(parametersOrContext: CkksParameters | ThresholdCkksContext, chunks: readonly Uint8Array[]): Promise<string[]> {
  return withThresholdContext(parametersOrContext, (context) =>
    chunks.map((bytes, index) => {
      const { raw } = context.loadChunk(bytes, `aggregate chunk ${index}`);
      const c1 = raw.polys[1] as Uint32Array;
      return createHash('sha256')
        .update('hefl-c1/1\0')
        .update(raw.parmsId)
        .update(Buffer.from(c1.buffer, c1.byteOffset, c1.byteLength))
        .digest('hex');
    }),
  );
}

/** SHA-256 (hex) of a decryption set: the sorted, distinct contributor ids. */
export function contributorSetDigest(contributors: readonly string[]): string {
  return createHash('sha256').update('hefl-contributors/1\0').update([...new Set(contributors)].sort().join('\0')).digest('hex');
}
