// Original file: proto/federation.proto


export interface JoinRequest {
  'jobId'?: (string);
  'participantId'?: (string);
  'protocolVersion'?: (number);
  'keyFingerprint'?: (string);
}

export interface JoinRequest__Output {
  'jobId': (string);
  'participantId': (string);
  'protocolVersion': (number);
  'keyFingerprint': (string);
}
