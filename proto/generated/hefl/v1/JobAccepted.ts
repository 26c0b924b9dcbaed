// Original file: proto/federation.proto


export interface JobAccepted {
  'jobSpecJson'?: (string);
}

export interface JobAccepted__Output {
  'jobSpecJson': (string);
}
