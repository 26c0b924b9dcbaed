// Original file: proto/federation.proto

import type { SignedValue as _hefl_v1_SignedValue, SignedValue__Output as _hefl_v1_SignedValue__Output } from '../../hefl/v1/SignedValue.js';

export interface KeySetupComplete {
  'publicShares'?: (_hefl_v1_SignedValue)[];
  'collectiveKeySha256'?: (string);
  'seedReveals'?: (_hefl_v1_SignedValue)[];
}

export interface KeySetupComplete__Output {
  'publicShares': (_hefl_v1_SignedValue__Output)[];
  'collectiveKeySha256': (string);
  'seedReveals': (_hefl_v1_SignedValue__Output)[];
}
