// Original file: proto/federation.proto


export interface EvaluationReport {
  'jobId'?: (string);
  'participantId'?: (string);
  'round'?: (number);
  'evaluationCount'?: (number | string);
  'auc'?: (number | string);
  'loss'?: (number | string);
  'nonce'?: (Buffer | Uint8Array | string);
  'totalSamples'?: (number | string);
  'meanTrainingLoss'?: (number | string);
}

export interface EvaluationReport__Output {
  'jobId': (string);
  'participantId': (string);
  'round': (number);
  'evaluationCount': (number);
  'auc': (number);
  'loss': (number);
  'nonce': (Buffer);
  'totalSamples': (number);
  'meanTrainingLoss': (number);
}
