// Original file: proto/federation.proto

import type { JobAccepted as _hefl_v1_JobAccepted, JobAccepted__Output as _hefl_v1_JobAccepted__Output } from '../../hefl/v1/JobAccepted.js';
import type { JobFinished as _hefl_v1_JobFinished, JobFinished__Output as _hefl_v1_JobFinished__Output } from '../../hefl/v1/JobFinished.js';
import type { JobFailed as _hefl_v1_JobFailed, JobFailed__Output as _hefl_v1_JobFailed__Output } from '../../hefl/v1/JobFailed.js';

export interface VerticalNotice {
  'jobAccepted'?: (_hefl_v1_JobAccepted | null);
  'jobFinished'?: (_hefl_v1_JobFinished | null);
  'jobFailed'?: (_hefl_v1_JobFailed | null);
  'notice'?: "jobAccepted"|"jobFinished"|"jobFailed";
}

export interface VerticalNotice__Output {
  'jobAccepted'?: (_hefl_v1_JobAccepted__Output | null);
  'jobFinished'?: (_hefl_v1_JobFinished__Output | null);
  'jobFailed'?: (_hefl_v1_JobFailed__Output | null);
  'notice'?: "jobAccepted"|"jobFinished"|"jobFailed";
}
