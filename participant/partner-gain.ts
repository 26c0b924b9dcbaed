/*
 * The shape of `partner-gain.json` (participant/compare-with-local-only.ts writes it), apart from the
 * code, so participant-options.ts can name it without importing the step.
 */

/** One model's quality on this node's evaluation rows; auc null when the rows hold one class only. */
export interface EvaluationOnRows {
  readonly auc: number | null;
  readonly loss: number;
}

/** `partner-gain.json`: what taking part bought this node, measured on its own evaluation rows. */
export interface PartnerGain {
  readonly format: 'hefl-partner-gain/1';
  readonly jobId: string;
  readonly participantId: string;
  readonly trainingRows: number;
  readonly evaluationRows: number;
  /** The final global model of the federation. */
  readonly federated: EvaluationOnRows;
  /** The same model spec and training settings on this node's rows alone (a federation of one). */
  readonly localOnly: EvaluationOnRows & { readonly rounds: number; readonly epochs: number; readonly lastTrainingLoss: number };
  /** federated.auc - localOnly.auc (null without both), and localOnly.loss - federated.loss: positive = federation helped. */
  readonly gain: { readonly auc: number | null; readonly loss: number };
  readonly method: string;
  readonly generatedAt: string;
}
