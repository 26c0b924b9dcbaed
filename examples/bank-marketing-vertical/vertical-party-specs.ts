import type { LabelSpec, PartyFeatureSpec } from '../../protocols/vertical/party-feature-spec.js';
import { bankMarketingFeatures } from '../bank-marketing/bank-marketing-job.js';
import { VERTICAL_PARTY_COLUMNS, type VerticalPartyId } from './split-vertical-parties.js';

/** Each party's feature spec, taken from the horizontal demo's schema (same category lists). */
function specFor(party: VerticalPartyId): PartyFeatureSpec {
  const held = new Set(VERTICAL_PARTY_COLUMNS[party]);
  return {
    numeric: bankMarketingFeatures.numeric.filter((name) => held.has(name)),
    categorical: bankMarketingFeatures.categorical.filter((column) => held.has(column.name)),
    ignored: [],
  };
}

export const verticalPartySpecs: Record<VerticalPartyId, PartyFeatureSpec> = {
  bank: specFor('bank'),
  ecommerce: specFor('ecommerce'),
  government: specFor('government'),
};

export const bankLabel: LabelSpec = bankMarketingFeatures.label;
