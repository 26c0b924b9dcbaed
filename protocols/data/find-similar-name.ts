import { editDistance } from './edit-distance.js';

/** The candidate closest to `name` within `maxDistance` edits (first wins on ties), for "did you mean". */
export function findSimilarName(name: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
