import { applyGradient, type OptimizerState } from '../../protocols/vertical/logistic/local-optimizer.js';
import { bankForwardPart, hostForwardPart } from '../../protocols/vertical/logistic/forward-part.js';
import { COORDINATOR_SENDER } from '../../protocols/vertical/vertical-address.js';
import { addLabelNoise } from './add-label-noise.js';
import { gatherColumns, type VerticalStepContext } from './vertical-step-context.js';

/**
 * One batch of vertical logistic regression, in order:
 *   1. post this party's forward part (label holder: 0.25 u_B + 0.5 - y; hosts: 0.25 u_h);
 *   2. receive the coordinator's sum Enc(d) and check it against every party's signed part;
 *   3. obtain ⟨d, x_j⟩ for its own features while serving the other parties' requests (custody);
 *   4. update its own weight block with its local optimizer.
 * Nothing here decrypts d, and no other party's features, weights or per-row values reach this one.
 */
export async function runVerticalBatch(
  context: VerticalStepContext,
  position: { epoch: number; batch: number },
  rows: Int32Array,
  weights: Float64Array,
  optimizer: OptimizerState,
): Promise<{ weights: Float64Array; optimizer: OptimizerState }> {
  const { channel, custody, parties, job } = context;
  const { epoch, batch } = position;
  await channel.sendOnce('forward-part', { epoch, batch }, async () => {
    const part = context.labels ? bankForwardPart(context.columns, weights, context.labels, rows) : hostForwardPart(context.columns, weights, rows);
    if (context.labels && job.custody.mode === 'threshold') addLabelNoise(part, job.custody.labelNoiseSigma);
    try {
      return { payload: await custody.encryptPart(part, 'forward-part') };
    } finally {
      part.fill(0);
    }
  });
  const [sum, parts] = await Promise.all([
    channel.receive('forward-sum', { epoch, batch, sender: COORDINATOR_SENDER }),
    channel.receiveFromEach('forward-part', parties, { epoch, batch }),
  ]);
  await custody.verifySum(sum.payload, parts.map((message) => message.payload), `forward sum of epoch ${epoch} batch ${batch}`);
  const [sums] = await Promise.all([
    custody.gradientSums(channel, { epoch, batch, columns: gatherColumns(context.columns, rows), forwardSum: sum.payload }),
    custody.serveGradientRequests(channel, epoch, batch),
  ]);
  context.onGradient?.(epoch, batch, sums);
  const next = applyGradient(weights, optimizer, sums, rows.length, {
    optimizer: job.training.optimizer,
    learningRate: job.training.learningRate,
    l2: job.training.l2,
    interceptIndex: context.interceptIndex,
  });
  return { weights: next.weights, optimizer: next.state };
}
