// Original file: proto/federation.proto

import type { RoundKind as _hefl_v1_RoundKind, RoundKind__Output as _hefl_v1_RoundKind__Output } from '../../hefl/v1/RoundKind.js';

export interface DecryptionRequested {
  'round'?: (number);
  'kind'?: (_hefl_v1_RoundKind);
  'aggregateSha256'?: (string);
  'chunkCount'?: (number);
  'vectorLength'?: (number);
  'contributors'?: (string)[];
  'committee'?: (string)[];
}

export interface DecryptionRequested__Output {
  'round': (number);
  'kind': (_hefl_v1_RoundKind__Output);
  'aggregateSha256': (string);
  'chunkCount': (number);
  'vectorLength': (number);
  'contributors': (string)[];
  'committee': (string)[];
}
