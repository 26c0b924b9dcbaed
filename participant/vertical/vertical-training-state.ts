import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { optimizerStateSchema, type OptimizerState } from '../../protocols/vertical/logistic/local-optimizer.js';
import { writeOwnerOnlyFile } from '../../protocols/state/write-owner-only-file.js';

/**
 * Where a party stands in a vertical job, saved after every batch (owner-only file, written whole), so
 * a restarted party continues at the next batch with the same weights and optimizer state.
 */
export const verticalTrainingStateSchema = z.strictObject({
  format: z.literal('hefl-vertical-state/1'),
  jobId: z.string(),
  participantId: z.string(),
  /** The next batch to run: epoch, and batch index within it. */
  epoch: z.number().int().min(0),
  batch: z.number().int().min(0),
  /** Whether the evaluation of `epoch - 1` is done (evaluation follows an epoch's last batch). */
  evaluated: z.boolean(),
  weights: z.array(z.number()),
  optimizer: optimizerStateSchema,
});

export type VerticalTrainingState = z.infer<typeof verticalTrainingStateSchema>;

export async function readVerticalTrainingState(path: string): Promise<VerticalTrainingState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  return verticalTrainingStateSchema.parse(JSON.parse(text));
}

export async function saveVerticalTrainingState(path: string, state: VerticalTrainingState): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeOwnerOnlyFile(path, JSON.stringify(state), 'replace-atomically');
}

export function initialTrainingState(jobId: string, participantId: string, featureCount: number, optimizer: OptimizerState): VerticalTrainingState {
  return { format: 'hefl-vertical-state/1', jobId, participantId, epoch: 0, batch: 0, evaluated: true, weights: new Array<number>(featureCount).fill(0), optimizer };
}
