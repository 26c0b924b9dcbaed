/**
 * Who blinds which list, in which order. Participants are sorted; owner i's list visits i+1, i+2, …,
 * i+P−1 (mod P). After hop h the list of owner i carries the scalars of the arc {i, …, i+h}: arcs of
 * equal length starting at different owners differ (h < P−1), so the coordinator relaying the
 * partially blinded lists can compare nothing before the last hop.
 */
import { PsiError } from './psi-error.js';

export interface RingRoute {
  readonly owner: string;
  /** Parties that blind the owner's list, hop 1 .. P−1. */
  readonly hops: readonly string[];
}

export function ringSchedule(participants: readonly string[]): RingRoute[] {
  if (participants.length < 2) throw new PsiError(`PSI needs at least 2 participants, got ${participants.length}`);
  const sorted = [...participants].sort();
  for (let index = 0; index < sorted.length; index += 1) {
    if ((sorted[index] as string).length === 0) throw new PsiError('participant ids must be non-empty');
    if (index > 0 && sorted[index] === sorted[index - 1]) throw new PsiError(`participant ${sorted[index]} is listed twice`);
  }
  return sorted.map((owner, index) => ({
    owner,
    hops: Array.from({ length: sorted.length - 1 }, (_, hop) => sorted[(index + hop + 1) % sorted.length] as string),
  }));
}
