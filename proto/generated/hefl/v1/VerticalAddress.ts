// Original file: proto/federation.proto

import type { VerticalKind as _hefl_v1_VerticalKind, VerticalKind__Output as _hefl_v1_VerticalKind__Output } from '../../hefl/v1/VerticalKind.js';

export interface VerticalAddress {
  'kind'?: (_hefl_v1_VerticalKind);
  'epoch'?: (number);
  'batch'?: (number);
  'owner'?: (string);
  'hop'?: (number);
  'sender'?: (string);
  'recipient'?: (string);
}

export interface VerticalAddress__Output {
  'kind': (_hefl_v1_VerticalKind__Output);
  'epoch': (number);
  'batch': (number);
  'owner': (string);
  'hop': (number);
  'sender': (string);
  'recipient': (string);
}
