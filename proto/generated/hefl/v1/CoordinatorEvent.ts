// Original file: proto/federation.proto

import type { JobAccepted as _hefl_v1_JobAccepted, JobAccepted__Output as _hefl_v1_JobAccepted__Output } from '../../hefl/v1/JobAccepted.js';
import type { RoundStarted as _hefl_v1_RoundStarted, RoundStarted__Output as _hefl_v1_RoundStarted__Output } from '../../hefl/v1/RoundStarted.js';
import type { AggregateReady as _hefl_v1_AggregateReady, AggregateReady__Output as _hefl_v1_AggregateReady__Output } from '../../hefl/v1/AggregateReady.js';
import type { JobFinished as _hefl_v1_JobFinished, JobFinished__Output as _hefl_v1_JobFinished__Output } from '../../hefl/v1/JobFinished.js';
import type { JobFailed as _hefl_v1_JobFailed, JobFailed__Output as _hefl_v1_JobFailed__Output } from '../../hefl/v1/JobFailed.js';
import type { KeySetupRequested as _hefl_v1_KeySetupRequested, KeySetupRequested__Output as _hefl_v1_KeySetupRequested__Output } from '../../hefl/v1/KeySetupRequested.js';
import type { KeySetupComplete as _hefl_v1_KeySetupComplete, KeySetupComplete__Output as _hefl_v1_KeySetupComplete__Output } from '../../hefl/v1/KeySetupComplete.js';
import type { DecryptionRequested as _hefl_v1_DecryptionRequested, DecryptionRequested__Output as _hefl_v1_DecryptionRequested__Output } from '../../hefl/v1/DecryptionRequested.js';
import type { AggregateDecrypted as _hefl_v1_AggregateDecrypted, AggregateDecrypted__Output as _hefl_v1_AggregateDecrypted__Output } from '../../hefl/v1/AggregateDecrypted.js';

export interface CoordinatorEvent {
  'jobAccepted'?: (_hefl_v1_JobAccepted | null);
  'roundStarted'?: (_hefl_v1_RoundStarted | null);
  'aggregateReady'?: (_hefl_v1_AggregateReady | null);
  'jobFinished'?: (_hefl_v1_JobFinished | null);
  'jobFailed'?: (_hefl_v1_JobFailed | null);
  'keySetupRequested'?: (_hefl_v1_KeySetupRequested | null);
  'keySetupComplete'?: (_hefl_v1_KeySetupComplete | null);
  'decryptionRequested'?: (_hefl_v1_DecryptionRequested | null);
  'aggregateDecrypted'?: (_hefl_v1_AggregateDecrypted | null);
  'event'?: "jobAccepted"|"roundStarted"|"aggregateReady"|"jobFinished"|"jobFailed"|"keySetupRequested"|"keySetupComplete"|"decryptionRequested"|"aggregateDecrypted";
}

export interface CoordinatorEvent__Output {
  'jobAccepted'?: (_hefl_v1_JobAccepted__Output | null);
  'roundStarted'?: (_hefl_v1_RoundStarted__Output | null);
  'aggregateReady'?: (_hefl_v1_AggregateReady__Output | null);
  'jobFinished'?: (_hefl_v1_JobFinished__Output | null);
  'jobFailed'?: (_hefl_v1_JobFailed__Output | null);
  'keySetupRequested'?: (_hefl_v1_KeySetupRequested__Output | null);
  'keySetupComplete'?: (_hefl_v1_KeySetupComplete__Output | null);
  'decryptionRequested'?: (_hefl_v1_DecryptionRequested__Output | null);
  'aggregateDecrypted'?: (_hefl_v1_AggregateDecrypted__Output | null);
  'event'?: "jobAccepted"|"roundStarted"|"aggregateReady"|"jobFinished"|"jobFailed"|"keySetupRequested"|"keySetupComplete"|"decryptionRequested"|"aggregateDecrypted";
}
