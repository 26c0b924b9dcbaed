import { randomBytes } from 'node:crypto';

/**
 * Adds independent Gaussian noise N(0, sigma^2) to each value, in place, from the operating system's
 * CSPRNG (Box–Muller on 53-bit uniforms). The label holder applies it to its forward part, so every
 * residual d_r = 0.25 u_r + 0.5 - y_r + noise: a host that crafts a feature to single out a row reads
 * the row's label only through this noise (README, "Vertical learning: what leaks").
 */
export function addLabelNoise(values: Float64Array, sigma: number): void {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`label noise sigma must be a finite non-negative number, got ${sigma}`);
  if (sigma === 0) return;
  const uniforms = randomBytes(values.length * 16);
  const uniform = (index: number): number => {
    // 53 random bits, shifted away from 0 so the logarithm is finite.
    const high = uniforms.readUInt32LE(index * 8) >>> 5;
    const low = uniforms.readUInt32LE(index * 8 + 4) >>> 6;
    return (high * 67_108_864 + low + 0.5) / 9_007_199_254_740_992;
  };
  for (let index = 0; index < values.length; index += 1) {
    const radius = Math.sqrt(-2 * Math.log(uniform(2 * index)));
    values[index] = (values[index] as number) + sigma * radius * Math.cos(2 * Math.PI * uniform(2 * index + 1));
  }
}
