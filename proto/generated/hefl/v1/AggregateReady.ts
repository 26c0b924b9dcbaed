// Original file: proto/federation.proto

import type { RoundKind as _hefl_v1_RoundKind, RoundKind__Output as _hefl_v1_RoundKind__Output } from '../../hefl/v1/RoundKind.js';

export interface AggregateReady {
  'round'?: (number);
  'kind'?: (_hefl_v1_RoundKind);
  'contributors'?: (string)[];
  'chunkCount'?: (number);
  'vectorLength'?: (number);
}

export interface AggregateReady__Output {
  'round': (number);
  'kind': (_hefl_v1_RoundKind__Output);
  'contributors': (string)[];
  'chunkCount': (number);
  'vectorLength': (number);
}
