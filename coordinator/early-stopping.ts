import type { RoundSummary } from './round-types.js';

/**
 * Training rounds since the federated held-out AUC last improved (strictly) on its best so far: the
 * first AUC counts as an improvement, and a round without an AUC (no node has evaluation rows, or its
 * evaluation failed) neither improves nor counts. The AUC is the federation-wide one in every
 * custody mode (decrypted by the coordinator, or reported by the nodes), so this holds for all.
 */
export function roundsWithoutImprovement(rounds: readonly Pick<RoundSummary, 'kind' | 'heldOutAuc'>[]): number {
  let best = Number.NEGATIVE_INFINITY;
  let since = 0;
  for (const round of rounds) {
    if (round.kind !== 'training' || round.heldOutAuc === null) continue;
    if (round.heldOutAuc > best) {
      best = round.heldOutAuc;
      since = 0;
    } else since += 1;
  }
  return since;
}

/** training.stopAfterRoundsWithoutImprovement: end the job once the AUC has not improved for that many rounds. */
export function shouldStopEarly(rounds: readonly Pick<RoundSummary, 'kind' | 'heldOutAuc'>[], patience: number | undefined): boolean {
  return patience !== undefined && roundsWithoutImprovement(rounds) >= patience;
}
