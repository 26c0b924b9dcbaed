import { computeAuc } from '../data/compute-auc.js';
import { forwardPart } from '../../protocols/vertical/logistic/forward-part.js';
import { logisticLoss } from '../../protocols/vertical/logistic/logistic-loss.js';
import { COORDINATOR_SENDER } from '../../protocols/vertical/vertical-address.js';
import type { VerticalStepContext } from './vertical-step-context.js';

export interface VerticalEvaluation {
  readonly validationAuc: number;
  readonly validationLoss: number;
  readonly validationRows: number;
}

/**
 * After each epoch: every party posts its encrypted partial scores u_i of the validation rows, checks
 * the coordinator's sum against the signed parts, and releases partial decryptions of it sealed to the
 * label holder, which alone learns the total scores (what a model owner evaluates anyway) and reports
 * AUC and loss as bounded metadata.
 */
export async function runVerticalEvaluation(context: VerticalStepContext, epoch: number, validationRows: Int32Array, weights: Float64Array): Promise<VerticalEvaluation | undefined> {
  const { channel, custody, parties } = context;
  await channel.sendOnce('score-part', { epoch }, async () => {
    const scores = forwardPart(context.columns, weights, validationRows);
    try {
      return { payload: await custody.encryptPart(scores, 'score-part') };
    } finally {
      scores.fill(0);
    }
  });
  const [sum, parts] = await Promise.all([channel.receive('score-sum', { epoch, sender: COORDINATOR_SENDER }), channel.receiveFromEach('score-part', parties, { epoch })]);
  await custody.verifySum(sum.payload, parts.map((message) => message.payload), `score sum of epoch ${epoch}`);
  const total = await custody.revealScores(channel, { epoch, batch: 0 }, sum.payload, validationRows.length);
  if (!total || !context.labels) return undefined;
  const labels = Float64Array.from(validationRows, (row) => (context.labels as Uint8Array)[row] as number);
  const computed = { validationAuc: computeAuc(total, labels), validationLoss: logisticLoss(total, labels), validationRows: validationRows.length };
  // After a restart the figures first reported stand (a fresh decryption differs in the last bits).
  const reported = await channel.sendOnce('epoch-metrics', { epoch }, async () => ({ payload: new Uint8Array(Buffer.from(JSON.stringify(computed), 'utf8')) }));
  return JSON.parse(Buffer.from(reported.payload).toString('utf8')) as VerticalEvaluation;
}
