// Original file: proto/federation.proto


export interface SubmitReceipt {
  'accepted'?: (boolean);
  'reason'?: (string);
}

export interface SubmitReceipt__Output {
  'accepted': (boolean);
  'reason': (string);
}
