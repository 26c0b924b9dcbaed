// Original file: proto/federation.proto


export interface ContributionChunk {
  'participantId'?: (string);
  'chunkIndex'?: (number);
  'ciphertext'?: (Buffer | Uint8Array | string);
  'chunkCount'?: (number);
  'updateSignature'?: (Buffer | Uint8Array | string);
  'chunkSha256s'?: (Buffer | Uint8Array | string);
}

export interface ContributionChunk__Output {
  'participantId': (string);
  'chunkIndex': (number);
  'ciphertext': (Buffer);
  'chunkCount': (number);
  'updateSignature': (Buffer);
  'chunkSha256s': (Buffer);
}
