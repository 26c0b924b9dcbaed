import type { ContributionChunk, DecryptionShareChunk, Parsed, Receipt } from '../../protocols/wire/federation-messages.js';
import type { IncomingDecryptionShare } from '../round-types.js';
import type { RefuseShare } from './coordinator-custody.js';

/**
 * The answers of a custody without key setup or joint decryption (none, single-key) to the
 * threshold messages, worded as before the custody seam so that clients see the same refusals.
 */
export const withoutJointDecryption = {
  submitKeySetup(): Receipt {
    return { accepted: false, reason: 'this job does not use threshold custody' };
  },
  openDecryptionShare(first: DecryptionShareChunk, refuse: RefuseShare): Parsed<IncomingDecryptionShare> {
    return refuse(`round ${first.round} is not awaiting decryption shares`);
  },
  contributionsFor(): Parsed<Iterable<ContributionChunk>> {
    return { success: false, reason: 'this job does not relay contributions (verifyAggregate is off)' };
  },
  awaitsDecryptionShareFrom(): boolean {
    return false;
  },
};
