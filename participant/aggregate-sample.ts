import { randomInt } from 'node:crypto';

/**
 * Sampled aggregate verification: instead of every chunk of every contribution (N× the aggregate's
 * download), a node re-sums `sampled` chunks chosen afresh, with a CSPRNG, for each request. A
 * coordinator that altered `tampered` of `chunks` chunks is caught by one node with probability
 * 1 − C(chunks − tampered, sampled) / C(chunks, sampled), and by at least one of `nodes` nodes
 * (each sampling independently) with 1 − (C(chunks − tampered, sampled) / C(chunks, sampled))^nodes.
 * Passing off one update as the aggregate alters every chunk: caught with certainty.
 */
export function sampleChunkIndices(chunks: number, sampled: number, random: (max: number) => number = randomInt): number[] {
  if (!Number.isInteger(chunks) || chunks < 1) throw new RangeError(`chunk count must be a positive integer, got ${chunks}`);
  if (!Number.isInteger(sampled) || sampled < 1) throw new RangeError(`sample size must be a positive integer, got ${sampled}`);
  const indices = Array.from({ length: chunks }, (_, index) => index);
  const take = Math.min(sampled, chunks);
  // Partial Fisher-Yates: the first `take` positions become a uniform sample without replacement.
  for (let position = 0; position < take; position += 1) {
    const pick = position + random(chunks - position);
    [indices[position], indices[pick]] = [indices[pick] as number, indices[position] as number];
  }
  return indices.slice(0, take).sort((a, b) => a - b);
}

/** The probability that at least one of `nodes` nodes, each checking `sampled` of `chunks` chunks, finds one of `tampered` altered chunks. */
export function detectionProbability(chunks: number, tampered: number, sampled: number, nodes = 1): number {
  if (tampered <= 0) return 0;
  const take = Math.min(sampled, chunks);
  // C(chunks − tampered, take) / C(chunks, take) as a running product: the chance one node misses.
  let miss = 1;
  for (let step = 0; step < take; step += 1) miss *= Math.max(0, chunks - tampered - step) / (chunks - step);
  return 1 - miss ** nodes;
}
