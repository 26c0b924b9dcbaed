export { batchSchedule } from './batch-schedule.js';
export { checkFeatureGrid } from './check-feature-grid.js';
export { choleskySolve } from './cholesky-solve.js';
export { deriveSeed } from './derive-seed.js';
export { exactLogisticRegression, scoreLogisticModel, type ExactLogisticModel, type ExactLogisticOptions } from './exact-logistic-regression.js';
export { bankForwardPart, forwardPart, hostForwardPart, sumParts } from './forward-part.js';
export { gradientFromResidual } from './gradient-from-residual.js';
export {
  applyGradient,
  initialOptimizerState,
  optimizerStateSchema,
  regularisedGradient,
  type ApplyGradientSettings,
  type OptimizerState,
} from './local-optimizer.js';
export { logisticLoss } from './logistic-loss.js';
export { splitTrainValidation, type TrainValidationSplit } from './split-train-validation.js';
export type { VerticalParty } from './vertical-party.js';
export {
  verticalTrainingSettingsSchema,
  type VerticalOptimizer,
  type VerticalTrainingSettings,
  type VerticalTrainingSettingsInput,
} from './vertical-training-settings.js';
