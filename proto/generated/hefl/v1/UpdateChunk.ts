// Original file: proto/federation.proto

import type { UpdateMetadata as _hefl_v1_UpdateMetadata, UpdateMetadata__Output as _hefl_v1_UpdateMetadata__Output } from '../../hefl/v1/UpdateMetadata.js';

export interface UpdateChunk {
  'jobId'?: (string);
  'participantId'?: (string);
  'round'?: (number);
  'chunkIndex'?: (number);
  'ciphertext'?: (Buffer | Uint8Array | string);
  'metadata'?: (_hefl_v1_UpdateMetadata | null);
  'updateSignature'?: (Buffer | Uint8Array | string);
  'nonce'?: (Buffer | Uint8Array | string);
}

export interface UpdateChunk__Output {
  'jobId': (string);
  'participantId': (string);
  'round': (number);
  'chunkIndex': (number);
  'ciphertext': (Buffer);
  'metadata': (_hefl_v1_UpdateMetadata__Output | null);
  'updateSignature': (Buffer);
  'nonce': (Buffer);
}
