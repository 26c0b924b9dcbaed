// Original file: proto/federation.proto

import type { FailureCode as _hefl_v1_FailureCode, FailureCode__Output as _hefl_v1_FailureCode__Output } from '../../hefl/v1/FailureCode.js';
import type { FailurePhase as _hefl_v1_FailurePhase, FailurePhase__Output as _hefl_v1_FailurePhase__Output } from '../../hefl/v1/FailurePhase.js';

export interface FailureReport {
  'jobId'?: (string);
  'participantId'?: (string);
  'code'?: (_hefl_v1_FailureCode);
  'phase'?: (_hefl_v1_FailurePhase);
  'round'?: (number);
  'nonce'?: (Buffer | Uint8Array | string);
}

export interface FailureReport__Output {
  'jobId': (string);
  'participantId': (string);
  'code': (_hefl_v1_FailureCode__Output);
  'phase': (_hefl_v1_FailurePhase__Output);
  'round': (number);
  'nonce': (Buffer);
}
