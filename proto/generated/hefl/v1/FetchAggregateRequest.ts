// Original file: proto/federation.proto

import type { RoundKind as _hefl_v1_RoundKind, RoundKind__Output as _hefl_v1_RoundKind__Output } from '../../hefl/v1/RoundKind.js';

export interface FetchAggregateRequest {
  'jobId'?: (string);
  'participantId'?: (string);
  'round'?: (number);
  'kind'?: (_hefl_v1_RoundKind);
  'chunkIndices'?: (number)[];
}

export interface FetchAggregateRequest__Output {
  'jobId': (string);
  'participantId': (string);
  'round': (number);
  'kind': (_hefl_v1_RoundKind__Output);
  'chunkIndices': (number)[];
}
