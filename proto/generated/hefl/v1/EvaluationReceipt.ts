// Original file: proto/federation.proto


export interface EvaluationReceipt {
  'accepted'?: (boolean);
  'reason'?: (string);
}

export interface EvaluationReceipt__Output {
  'accepted': (boolean);
  'reason': (string);
}
