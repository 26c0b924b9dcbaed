import { ConfigError } from '../../protocols/errors.js';
import { usesTofnCustody } from '../../protocols/job/job-spec.js';
import type { CoordinatorCustody, CustodyContext } from './coordinator-custody.js';
import { PlaintextCustody } from './plaintext-custody.js';
import { SingleKeyCustody } from './single-key-custody.js';
import { ThresholdCustody } from './threshold-custody.js';

/** The coordinator's side of the job's key custody: one line per mode. */
export function createCoordinatorCustody(context: CustodyContext): CoordinatorCustody {
  const custody = context.job.custody;
  switch (custody.mode) {
    case 'none': return new PlaintextCustody(context);
    case 'single-key': return new SingleKeyCustody(context);
    case 'threshold':
      if (usesTofnCustody(context.job)) throw new ConfigError('custody.threshold below the number of participants (t-of-N) is not available in this build yet; omit it for N-of-N');
      return new ThresholdCustody(context, custody);
  }
}
