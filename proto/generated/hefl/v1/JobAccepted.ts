// Original file: proto/federation.proto


export interface JobAccepted {
  'jobSpecJson'?: (string);
  'resumed'?: (boolean);
  'lastCompletedRound'?: (number);
  'collectiveKeySha256'?: (string);
}

export interface JobAccepted__Output {
  'jobSpecJson': (string);
  'resumed': (boolean);
  'lastCompletedRound': (number);
  'collectiveKeySha256': (string);
}
