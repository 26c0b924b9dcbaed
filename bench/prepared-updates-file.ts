import { readFile, writeFile } from 'node:fs/promises';
import type { PreparedUpdates } from './load-generator.js';

/**
 * Pre-encrypted updates in one file, for load-generating processes: a JSON header line
 * {"statisticsLength","trainingLength","statistics":[sizes],"training":[sizes],"evaluation":[sizes]}
 * then the raw ciphertext bytes in that order.
 */
export async function writePreparedUpdates(path: string, updates: PreparedUpdates): Promise<void> {
  const header = JSON.stringify({
    statisticsLength: updates.statisticsLength,
    trainingLength: updates.trainingLength,
    statistics: updates.statistics.map((chunk) => chunk.byteLength),
    training: updates.training.map((chunk) => chunk.byteLength),
    evaluation: updates.evaluation.map((chunk) => chunk.byteLength),
  });
  await writeFile(path, Buffer.concat([Buffer.from(`${header}\n`), ...updates.statistics, ...updates.training, ...updates.evaluation]));
}

export async function readPreparedUpdates(path: string): Promise<PreparedUpdates> {
  const bytes = await readFile(path);
  const newline = bytes.indexOf(0x0a);
  const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as {
    statisticsLength: number;
    trainingLength: number;
    statistics: number[];
    training: number[];
    evaluation: number[];
  };
  let offset = newline + 1;
  const take = (size: number): Uint8Array => {
    const chunk = new Uint8Array(bytes.subarray(offset, offset + size));
    offset += size;
    return chunk;
  };
  const statistics = header.statistics.map(take);
  const training = header.training.map(take);
  const evaluation = header.evaluation.map(take);
  if (offset !== bytes.length) throw new Error(`${path}: ${bytes.length - offset} bytes beyond the announced ciphertexts`);
  return { statistics, training, evaluation, statisticsLength: header.statisticsLength, trainingLength: header.trainingLength };
}
