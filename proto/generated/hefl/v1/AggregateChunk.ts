// Original file: proto/federation.proto


export interface AggregateChunk {
  'round'?: (number);
  'chunkIndex'?: (number);
  'ciphertext'?: (Buffer | Uint8Array | string);
}

export interface AggregateChunk__Output {
  'round': (number);
  'chunkIndex': (number);
  'ciphertext': (Buffer);
}
