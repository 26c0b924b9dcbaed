import { encodePartyColumns } from './data/encode-party-columns.js';
import type { PartyTable } from './data/parse-party-table.js';
import { selectPartyRows } from './data/select-party-rows.js';
import { forwardPart } from '../../protocols/vertical/logistic/forward-part.js';
import type { PsiAlignment } from '../../protocols/psi/psi-party.js';
import { COORDINATOR_SENDER } from '../../protocols/vertical/vertical-address.js';
import type { PartyFeatureSpec } from '../../protocols/vertical/party-feature-spec.js';
import type { VerticalStepContext } from './vertical-step-context.js';

/** Scoring messages sit after the last epoch, in "batch" 1 (batch 0 of that epoch is unused). */
export const SCORING_BATCH = 1;

export interface VerticalScores {
  /** The label holder's ids of the scored customers, in the common order of the scoring intersection. */
  readonly ids: readonly string[];
  /** Probability of the positive label per scored customer. */
  readonly probabilities: Float64Array;
}

/**
 * Scoring new customers after training (job `scoring: true`): the label holder's list of customers to
 * score is intersected with every party's customers (a second PSI round, fresh scalars); each party
 * encodes those rows with its training standardisation and posts its encrypted partial score; the
 * sum is decrypted for the label holder only, which alone learns the scores. Hosts learn which of their
 * customers were scored (the intersection), nothing else.
 */
export async function runVerticalScoring(
  context: VerticalStepContext,
  options: {
    readonly table: PartyTable;
    readonly spec: PartyFeatureSpec;
    readonly weights: Float64Array;
    readonly standardization: { means: Float64Array; stds: Float64Array };
    readonly intersect: (ids: readonly string[]) => Promise<PsiAlignment>;
  },
): Promise<VerticalScores | undefined> {
  const { channel, custody, job, parties } = context;
  const position = { epoch: job.training.epochs, batch: SCORING_BATCH };
  const alignment = await options.intersect(options.table.ids);
  const aligned = selectPartyRows(options.table, alignment.rowsInCommonOrder);
  const encoded = encodePartyColumns(aligned, options.spec, {
    trainRows: new Int32Array(0),
    clip: job.training.clip,
    featureScaleBits: job.training.featureScaleBits,
    intercept: context.isLabelHolder,
    standardization: options.standardization,
  });
  const rows = Int32Array.from({ length: aligned.rowCount }, (_, index) => index);
  await channel.sendOnce('score-part', position, async () => {
    const scores = forwardPart(encoded.columns, options.weights, rows);
    try {
      return { payload: await custody.encryptPart(scores, 'score-part') };
    } finally {
      scores.fill(0);
    }
  });
  const [sum, parts] = await Promise.all([channel.receive('score-sum', { ...position, sender: COORDINATOR_SENDER }), channel.receiveFromEach('score-part', parties, position)]);
  await custody.verifySum(sum.payload, parts.map((message) => message.payload), 'score sum of the scoring round');
  const total = await custody.revealScores(channel, position, sum.payload, rows.length);
  if (!total || !context.isLabelHolder) return undefined;
  return { ids: aligned.ids, probabilities: Float64Array.from(total, (score) => 1 / (1 + Math.exp(-score))) };
}
