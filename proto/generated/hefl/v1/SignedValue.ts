// Original file: proto/federation.proto


export interface SignedValue {
  'participantId'?: (string);
  'value'?: (Buffer | Uint8Array | string);
  'signature'?: (Buffer | Uint8Array | string);
}

export interface SignedValue__Output {
  'participantId': (string);
  'value': (Buffer);
  'signature': (Buffer);
}
