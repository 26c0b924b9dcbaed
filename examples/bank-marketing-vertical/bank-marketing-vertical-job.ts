import type { VerticalJobSpecInput } from '../../protocols/vertical/vertical-job-spec.js';
import { ID_COLUMN } from './split-vertical-parties.js';
import { bankLabel, verticalPartySpecs } from './vertical-party-specs.js';

/**
 * The vertical demo's job: the bank holds the client attributes and the label, the e-commerce
 * platform the contact history, the government agency the socio-economic indicators; customers are
 * aligned on customer_id by private set intersection.
 */
export function bankMarketingVerticalJob(overrides: Partial<Pick<VerticalJobSpecInput, 'jobId' | 'training' | 'custody' | 'psi' | 'federation' | 'scoring'>> = {}): VerticalJobSpecInput {
  return {
    kind: 'vertical-logistic-regression',
    jobId: overrides.jobId ?? 'bank-marketing-vertical',
    parties: [
      { id: 'bank', idColumn: ID_COLUMN, features: verticalPartySpecs.bank, label: bankLabel },
      { id: 'ecommerce', idColumn: ID_COLUMN, features: verticalPartySpecs.ecommerce },
      { id: 'government', idColumn: ID_COLUMN, features: verticalPartySpecs.government },
    ],
    ...(overrides.training ? { training: overrides.training } : {}),
    ...(overrides.custody ? { custody: overrides.custody } : {}),
    ...(overrides.psi ? { psi: overrides.psi } : {}),
    ...(overrides.federation ? { federation: overrides.federation } : {}),
    ...(overrides.scoring !== undefined ? { scoring: overrides.scoring } : {}),
  };
}
