// Original file: proto/federation.proto

import type { VerticalAddress as _hefl_v1_VerticalAddress, VerticalAddress__Output as _hefl_v1_VerticalAddress__Output } from '../../hefl/v1/VerticalAddress.js';

export interface VerticalChunk {
  'jobId'?: (string);
  'address'?: (_hefl_v1_VerticalAddress | null);
  'chunkIndex'?: (number);
  'chunkCount'?: (number);
  'payload'?: (Buffer | Uint8Array | string);
  'payloadSha256'?: (Buffer | Uint8Array | string);
  'signature'?: (Buffer | Uint8Array | string);
  'nonce'?: (Buffer | Uint8Array | string);
}

export interface VerticalChunk__Output {
  'jobId': (string);
  'address': (_hefl_v1_VerticalAddress__Output | null);
  'chunkIndex': (number);
  'chunkCount': (number);
  'payload': (Buffer);
  'payloadSha256': (Buffer);
  'signature': (Buffer);
  'nonce': (Buffer);
}
