// Original file: proto/federation.proto

import type { RoundKind as _hefl_v1_RoundKind, RoundKind__Output as _hefl_v1_RoundKind__Output } from '../../hefl/v1/RoundKind.js';
import type { Long } from '@grpc/proto-loader';

export interface RoundStarted {
  'round'?: (number);
  'kind'?: (_hefl_v1_RoundKind);
  'deadlineUnixMs'?: (number | string | Long);
}

export interface RoundStarted__Output {
  'round': (number);
  'kind': (_hefl_v1_RoundKind__Output);
  'deadlineUnixMs': (number);
}
