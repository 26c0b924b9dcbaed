// Original file: proto/federation.proto

import type { VerticalAddress as _hefl_v1_VerticalAddress, VerticalAddress__Output as _hefl_v1_VerticalAddress__Output } from '../../hefl/v1/VerticalAddress.js';

export interface VerticalFetchRequest {
  'jobId'?: (string);
  'participantId'?: (string);
  'address'?: (_hefl_v1_VerticalAddress | null);
  'nonce'?: (Buffer | Uint8Array | string);
}

export interface VerticalFetchRequest__Output {
  'jobId': (string);
  'participantId': (string);
  'address': (_hefl_v1_VerticalAddress__Output | null);
  'nonce': (Buffer);
}
