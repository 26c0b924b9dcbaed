// Original file: proto/federation.proto


export interface DecryptedChunk {
  'round'?: (number);
  'chunkIndex'?: (number);
  'values'?: (number | string)[];
}

export interface DecryptedChunk__Output {
  'round': (number);
  'chunkIndex': (number);
  'values': (number)[];
}
