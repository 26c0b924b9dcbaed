// Original file: proto/federation.proto

import type { KeySetupStep as _hefl_v1_KeySetupStep, KeySetupStep__Output as _hefl_v1_KeySetupStep__Output } from '../../hefl/v1/KeySetupStep.js';
import type { SignedValue as _hefl_v1_SignedValue, SignedValue__Output as _hefl_v1_SignedValue__Output } from '../../hefl/v1/SignedValue.js';

export interface KeySetupRequested {
  'step'?: (_hefl_v1_KeySetupStep);
  'previous'?: (_hefl_v1_SignedValue)[];
}

export interface KeySetupRequested__Output {
  'step': (_hefl_v1_KeySetupStep__Output);
  'previous': (_hefl_v1_SignedValue__Output)[];
}
