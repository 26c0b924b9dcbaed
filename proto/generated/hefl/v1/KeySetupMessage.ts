// Original file: proto/federation.proto

import type { KeySetupStep as _hefl_v1_KeySetupStep, KeySetupStep__Output as _hefl_v1_KeySetupStep__Output } from '../../hefl/v1/KeySetupStep.js';

export interface KeySetupMessage {
  'jobId'?: (string);
  'participantId'?: (string);
  'step'?: (_hefl_v1_KeySetupStep);
  'value'?: (Buffer | Uint8Array | string);
  'signature'?: (Buffer | Uint8Array | string);
  'nonce'?: (Buffer | Uint8Array | string);
}

export interface KeySetupMessage__Output {
  'jobId': (string);
  'participantId': (string);
  'step': (_hefl_v1_KeySetupStep__Output);
  'value': (Buffer);
  'signature': (Buffer);
  'nonce': (Buffer);
}
