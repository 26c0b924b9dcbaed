import { createSeededRandom as seededRandom } from '../seeded-random.js';

export interface SeparableDataset {
  features: Float32Array;
  labels: Float32Array;
  rowCount: number;
  width: number;
}

/**
 * Test fixture: rows uniform in [-1, 1]^width labelled by a fixed hyperplane, so a logistic
 * regression can fit them almost perfectly. Seeded, so every test run sees the same data.
 */
export function separableDataset(rowCount: number, width: number, seed: number): SeparableDataset {
  const random = seededRandom(seed);
  const direction = Array.from({ length: width }, () => 2 * random() - 1);
  const features = new Float32Array(rowCount * width);
  const labels = new Float32Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    let score = 0.1;
    for (let column = 0; column < width; column++) {
      const value = 2 * random() - 1;
      features[row * width + column] = value;
      score += value * (direction[column] ?? 0);
    }
    labels[row] = score > 0 ? 1 : 0;
  }
  return { features, labels, rowCount, width };
}
