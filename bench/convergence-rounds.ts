import { roundsWithoutImprovement } from '../coordinator/early-stopping.js';

/*
 * The convergence section's arithmetic on a run's per-round AUCs, apart from running anything, so it
 * can be tested alone. Round numbers are 1-based (round r is the model after r training rounds).
 */

/** The first round whose AUC is within `tolerance` of `target` (AUC ≥ target − tolerance); null if none is. */
export function roundsToWithin(aucs: readonly (number | null)[], target: number, tolerance: number): number | null {
  // A hair of slack so 0.708 against 0.710 with tolerance 0.002 counts as within, as it reads.
  const floor = target - tolerance - 1e-12;
  const index = aucs.findIndex((auc) => auc !== null && auc >= floor);
  return index === -1 ? null : index + 1;
}

/** The first round from which every later AUC stays within `tolerance` of `target`; null if the last is not within. */
export function roundsToStayWithin(aucs: readonly (number | null)[], target: number, tolerance: number): number | null {
  const floor = target - tolerance - 1e-12;
  let first: number | null = null;
  for (const [index, auc] of aucs.entries()) {
    if (auc !== null && auc >= floor) first ??= index + 1;
    else first = null;
  }
  return first;
}

/** The AUC after `round` rounds, or null when the run is shorter or that round has none. */
export function aucAfter(aucs: readonly (number | null)[], round: number): number | null {
  return aucs[round - 1] ?? null;
}

/** The best AUC and the first round that reached it; null when no round has an AUC. */
export function bestAuc(aucs: readonly (number | null)[]): { auc: number; round: number } | null {
  let best: { auc: number; round: number } | null = null;
  for (const [index, auc] of aucs.entries()) if (auc !== null && (best === null || auc > best.auc)) best = { auc, round: index + 1 };
  return best;
}

/**
 * Where `training.stopAfterRoundsWithoutImprovement: patience` would have ended this run (the
 * coordinator's own rule, coordinator/early-stopping.ts): the round count and the AUC of the last
 * round run; null when it would have run every round.
 */
export function earlyStop(aucs: readonly (number | null)[], patience: number): { round: number; auc: number | null } | null {
  const rounds = aucs.map((heldOutAuc) => ({ kind: 'training' as const, heldOutAuc }));
  for (let round = 1; round < aucs.length; round += 1) {
    if (roundsWithoutImprovement(rounds.slice(0, round)) >= patience) return { round, auc: aucs[round - 1] ?? null };
  }
  return null;
}
