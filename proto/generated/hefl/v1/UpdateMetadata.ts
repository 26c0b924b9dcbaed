// Original file: proto/federation.proto

import type { RoundKind as _hefl_v1_RoundKind, RoundKind__Output as _hefl_v1_RoundKind__Output } from '../../hefl/v1/RoundKind.js';

export interface UpdateMetadata {
  'kind'?: (_hefl_v1_RoundKind);
  'vectorLength'?: (number);
  'chunkCount'?: (number);
}

export interface UpdateMetadata__Output {
  'kind': (_hefl_v1_RoundKind__Output);
  'vectorLength': (number);
  'chunkCount': (number);
}
