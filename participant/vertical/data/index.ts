export { encodePartyColumns, type EncodedPartyColumns, type EncodePartyOptions } from './encode-party-columns.js';
export { parsePartyTable, type PartyTable } from './parse-party-table.js';
export {
  labelSpecSchema,
  partyFeatureNames,
  partyFeatureSpecSchema,
  type LabelSpec,
  type PartyFeatureSpec,
  type PartyFeatureSpecInput,
} from '../../../protocols/vertical/party-feature-spec.js';
export { quantizeFeature } from './quantize-feature.js';
export { selectPartyRows } from './select-party-rows.js';
export { standardizeOnRows } from './standardize-on-rows.js';
