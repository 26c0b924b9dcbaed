// Original file: proto/federation.proto


export interface JobFailed {
  'reason'?: (string);
}

export interface JobFailed__Output {
  'reason': (string);
}
