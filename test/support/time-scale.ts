/**
 * The one factor on every wall-clock allowance in the tests (test timeouts, process kill timers,
 * job deadlines). Base values are what a quiet machine needs; the default factor of 3 leaves room
 * for a machine busy with other work. Set HEFL_TEST_TIME_SCALE (a positive number) to change it.
 */
export const TIME_SCALE = parseScale(process.env.HEFL_TEST_TIME_SCALE);

function parseScale(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 3;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`HEFL_TEST_TIME_SCALE must be a positive number, got "${text}"`);
  return value;
}

/** `ms` (a quiet-machine allowance) times the factor, in whole milliseconds. */
export function scaledMs(ms: number): number {
  return Math.ceil(ms * TIME_SCALE);
}

/** `seconds` times the factor, in whole seconds (job deadlines are integers). */
export function scaledSeconds(seconds: number): number {
  return Math.ceil(seconds * TIME_SCALE);
}
