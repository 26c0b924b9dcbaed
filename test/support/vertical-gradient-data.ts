/** Test support: a real 3-party threshold key and vertical-LR-like batches. Not part of the API. */
import { combinePublicShares } from '../../protocols/ckks/threshold/collective-public-key.js';
import { createSeedContribution, deriveCommonSeed } from '../../protocols/ckks/threshold/common-seed.js';
import { createKeyShare, type KeyShare } from '../../protocols/ckks/threshold/key-share.js';
import type { ThresholdCkksContext } from '../../protocols/ckks/threshold/threshold-context.js';

export interface Federation {
  readonly keys: KeyShare[];
  readonly publicKey: Uint8Array;
}

export async function setUpFederation(context: ThresholdCkksContext, parties: number, jobId: string): Promise<Federation> {
  const reveals = Array.from({ length: parties }, (_, index) => ({ participantId: `party-${index}`, seed: createSeedContribution({ jobId, participantId: `party-${index}` }).seed }));
  const commonSeed = deriveCommonSeed(jobId, reveals);
  const keys: KeyShare[] = [];
  for (let party = 0; party < parties; party += 1) keys.push(await createKeyShare(context, commonSeed));
  return { keys, publicKey: await combinePublicShares(context, commonSeed, keys.map((key) => key.publicShare)) };
}

/** Deterministic pseudo-random numbers (LCG) with a Box–Muller normal. */
export function random(seed: number): { uniform(): number; normal(): number } {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return { uniform, normal: () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()) };
}

/** Standardised-looking column on the 2^-f grid, clipped to ±clip. */
export function quantised(values: Float64Array, featureScaleBits: number, clip: number): Float64Array {
  const grid = 2 ** featureScaleBits;
  return values.map((value) => Math.max(-clip, Math.min(clip, Math.round(value * grid) / grid)));
}

/** Ten columns: the intercept, gaussians, a skewed one and a standardised binary one. */
export function featureColumns(rows: number, seed: number, featureScaleBits = 8): Float64Array[] {
  const rng = random(seed);
  const columns: Float64Array[] = [new Float64Array(rows).fill(1)];
  for (let feature = 0; feature < 7; feature += 1) columns.push(quantised(Float64Array.from({ length: rows }, () => rng.normal()), featureScaleBits, 8));
  columns.push(quantised(Float64Array.from({ length: rows }, () => Math.exp(rng.normal() * 0.8) - 1.3), featureScaleBits, 8));
  columns.push(quantised(Float64Array.from({ length: rows }, () => (rng.uniform() < 0.1 ? 3 : -1 / 3)), featureScaleBits, 8));
  return columns;
}

/** Forward parts of bank (0.25 u_B + 0.5 - y) and two hosts (0.25 u_h), and their Float64 sum d. */
export function forwardParts(rows: number, seed: number): { parts: Float64Array[]; d: Float64Array } {
  const rng = random(seed);
  const bank = Float64Array.from({ length: rows }, () => 0.25 * 1.5 * rng.normal() + 0.5 - (rng.uniform() < 0.3 ? 1 : 0));
  const hosts = [0, 1].map(() => Float64Array.from({ length: rows }, () => 0.25 * rng.normal()));
  const parts = [bank, ...hosts];
  const d = new Float64Array(rows).map((_, row) => parts.reduce((sum, part) => sum + (part[row] as number), 0));
  return { parts, d };
}

export function plainGradient(d: Float64Array, columns: readonly Float64Array[]): number[] {
  return columns.map((column) => column.reduce((sum, value, row) => sum + value * (d[row] as number), 0));
}

export function maxAbs(values: readonly number[]): number {
  return values.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
}
