// Original file: proto/federation.proto


export interface JoinRequest {
  'jobId'?: (string);
  'participantId'?: (string);
  'protocolVersion'?: (number);
  'keyFingerprint'?: (string);
  'nonce'?: (Buffer | Uint8Array | string);
  'resuming'?: (boolean);
  'lastAppliedRound'?: (number);
  'catchUp'?: (boolean);
}

export interface JoinRequest__Output {
  'jobId': (string);
  'participantId': (string);
  'protocolVersion': (number);
  'keyFingerprint': (string);
  'nonce': (Buffer);
  'resuming': (boolean);
  'lastAppliedRound': (number);
  'catchUp': (boolean);
}
