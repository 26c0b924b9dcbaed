/** Exponential backoff with ±50 % jitter, so many nodes do not reconnect in lockstep. */
export function backoffDelayMs(attempt: number, bounds: { readonly initial: number; readonly max: number }, random: () => number = Math.random): number {
  const base = Math.min(bounds.max, bounds.initial * 2 ** Math.min(attempt, 30));
  return base * (0.5 + random());
}
