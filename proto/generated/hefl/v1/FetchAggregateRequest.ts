// Original file: proto/federation.proto


export interface FetchAggregateRequest {
  'jobId'?: (string);
  'participantId'?: (string);
  'round'?: (number);
}

export interface FetchAggregateRequest__Output {
  'jobId': (string);
  'participantId': (string);
  'round': (number);
}
