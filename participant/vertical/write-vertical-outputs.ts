import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VerticalJobSpec } from '../../protocols/vertical/vertical-job-spec.js';
import type { VerticalEvaluation } from './run-vertical-evaluation.js';
import type { VerticalScores } from './run-vertical-scoring.js';

/**
 * A party's share of the vertical model: its feature names, weights and local standardisation (to
 * score new customers the same way). Only the label holder writes the quality report and the ids of
 * its validation rows; no party's file holds another party's weights or values.
 */
export async function writeVerticalOutputs(
  directory: string,
  outputs: {
    job: VerticalJobSpec;
    participantId: string;
    featureNames: readonly string[];
    weights: readonly number[];
    standardization: { means: Float64Array; stds: Float64Array };
    intersectionSize: number;
    evaluations: readonly VerticalEvaluation[];
    validationIds: readonly string[] | undefined;
    /** The label holder's own ids in the common (PSI) order: its local record of the alignment. */
    commonOrderIds: readonly string[] | undefined;
    /** The label holder's scores of its new customers (job `scoring`). */
    scores?: VerticalScores | undefined;
  },
): Promise<void> {
  await mkdir(join(directory, 'model'), { recursive: true });
  await writeFile(
    join(directory, 'model', 'vertical-model-block.json'),
    JSON.stringify(
      {
        format: 'hefl-vertical-block/1',
        jobId: outputs.job.jobId,
        participantId: outputs.participantId,
        features: outputs.featureNames.map((name, index) => ({ name, weight: outputs.weights[index] })),
        standardization: { means: Array.from(outputs.standardization.means), stds: Array.from(outputs.standardization.stds) },
        featureScaleBits: outputs.job.training.featureScaleBits,
        clip: outputs.job.training.clip,
      },
      null,
      2,
    ),
  );
  if (!outputs.validationIds) return;
  await writeFile(
    join(directory, 'vertical-report.json'),
    JSON.stringify({ jobId: outputs.job.jobId, intersectionSize: outputs.intersectionSize, epochs: outputs.evaluations, training: outputs.job.training }, null, 2),
  );
  await writeFile(join(directory, 'validation-ids.txt'), `${outputs.validationIds.join('\n')}\n`);
  if (outputs.scores) {
    const lines = outputs.scores.ids.map((id, index) => `${id},${(outputs.scores as VerticalScores).probabilities[index]}`);
    await writeFile(join(directory, 'scores.csv'), `id,probability\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}`);
  }
  if (outputs.commonOrderIds) await writeFile(join(directory, 'common-order-ids.txt'), `${outputs.commonOrderIds.join('\n')}\n`);
}
