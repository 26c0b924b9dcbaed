/** Every measured figure keeps all its samples; the median is what tables show. */
export interface Figure {
  readonly unit: string;
  readonly median: number;
  readonly samples: readonly number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no samples');
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function figure(unit: string, samples: readonly number[]): Figure {
  return { unit, median: median(samples), samples: [...samples] };
}

/** Applies `transform` to every sample (seconds to params/s, say); the median is recomputed. */
export function deriveFigure(source: Figure, unit: string, transform: (sample: number) => number): Figure {
  return figure(unit, source.samples.map(transform));
}

/**
 * numerator / denominator, sample i with sample i. Where the two were measured back to back in the
 * same run (the round section interleaves them), paired samples share the machine's momentary load,
 * so their ratios are steadier than a ratio of medians. When the sample counts differ, every sample
 * of one is paired with the median of the other.
 */
export function ratioFigure(numerator: Figure, denominator: Figure, unit = 'ratio'): Figure {
  if (numerator.samples.length === denominator.samples.length) {
    return figure(unit, numerator.samples.map((value, index) => value / (denominator.samples[index] as number)));
  }
  if (numerator.samples.length >= denominator.samples.length) {
    return figure(unit, numerator.samples.map((value) => value / denominator.median));
  }
  return figure(unit, denominator.samples.map((value) => numerator.median / value));
}

/** Seconds that `work` took, by the monotonic clock. */
export async function timeSeconds<T>(work: () => T | Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
}

/** Seconds that a synchronous `work` took. */
export function timeSecondsSync<T>(work: () => T): { seconds: number; result: T } {
  const started = performance.now();
  const result = work();
  return { seconds: (performance.now() - started) / 1000, result };
}

/**
 * Runs `run` `repeat` times and turns the per-run samples into one Figure per key. `units` names every
 * key, so a run that forgets a sample is a type error rather than a silent hole.
 */
export async function repeatRuns<Key extends string>(
  repeat: number,
  units: Readonly<Record<Key, string>>,
  run: (runIndex: number) => Promise<Readonly<Record<Key, number>>>,
): Promise<Record<Key, Figure>> {
  const samples = new Map<Key, number[]>();
  for (let runIndex = 0; runIndex < repeat; runIndex += 1) {
    const values = await run(runIndex);
    for (const key of Object.keys(units) as Key[]) {
      const list = samples.get(key) ?? [];
      list.push(values[key]);
      samples.set(key, list);
    }
  }
  const figures = {} as Record<Key, Figure>;
  for (const key of Object.keys(units) as Key[]) figures[key] = figure(units[key], samples.get(key) ?? []);
  return figures;
}
