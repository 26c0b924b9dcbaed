// Original file: proto/federation.proto


export interface DecryptionShareChunk {
  'jobId'?: (string);
  'participantId'?: (string);
  'round'?: (number);
  'chunkIndex'?: (number);
  'share'?: (Buffer | Uint8Array | string);
  'aggregateSha256'?: (string);
  'nonce'?: (Buffer | Uint8Array | string);
  'c1Sha256'?: (Buffer | Uint8Array | string);
  'contributorsSha256'?: (Buffer | Uint8Array | string);
  'committeeSha256'?: (Buffer | Uint8Array | string);
}

export interface DecryptionShareChunk__Output {
  'jobId': (string);
  'participantId': (string);
  'round': (number);
  'chunkIndex': (number);
  'share': (Buffer);
  'aggregateSha256': (string);
  'nonce': (Buffer);
  'c1Sha256': (Buffer);
  'contributorsSha256': (Buffer);
  'committeeSha256': (Buffer);
}
