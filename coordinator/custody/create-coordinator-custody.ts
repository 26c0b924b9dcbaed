import { usesTofnCustody } from '../../protocols/job/job-spec.js';
import type { CoordinatorCustody, CustodyContext } from './coordinator-custody.js';
import { PlaintextCustody } from './plaintext-custody.js';
import { SingleKeyCustody } from './single-key-custody.js';
import { ThresholdCustody } from './threshold-custody.js';
import { TofnThresholdCustody } from './tofn-threshold-custody.js';

/** The coordinator's side of the job's key custody: one line per mode. */
export function createCoordinatorCustody(context: CustodyContext): CoordinatorCustody {
  const custody = context.job.custody;
  switch (custody.mode) {
    case 'none': return new PlaintextCustody(context);
    case 'single-key': return new SingleKeyCustody(context);
    case 'threshold':
      return usesTofnCustody(context.job) ? new TofnThresholdCustody(context, custody) : new ThresholdCustody(context, custody);
  }
}
