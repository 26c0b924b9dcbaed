/** HEFL's shared core: job and wire types, CKKS, aggregation strategies, data and model helpers. */
// First: on a Node.js older than 22.12 the import fails here, with what to install.
import './require-node-version.js';
export * from './errors.js';
export * from './job/job-spec.js';
export { readConfigFile, parseConfigText } from './job/read-config-file.js';
export { countModelParameters, countStatisticsValues } from './job/count-model-parameters.js';
export { CkksSession, liveSealHandleCount, type CkksKeyMaterial } from './ckks/ckks-session.js';
export { ckksParametersFingerprint } from './ckks/ckks-parameters-fingerprint.js';
export { initFederationKeys, type InitializedKeyFolders } from './keys/init-federation-keys.js';
export { readCoordinatorKeys, readParticipantKeys, type CoordinatorKeys, type ParticipantKeys } from './keys/read-key-folder.js';
export { EncryptedSumAggregator, type FinalizedAggregate, type AggregateLayout } from './aggregation/encrypted-sum-aggregator.js';
export { federatedAverageReference, type PlainUpdate } from './aggregation/federated-average-reference.js';
export { federatedAveraging } from './aggregation/federated-averaging.js';
export type { FederatedStrategy, RoundPlan, RoundPlanInput } from './aggregation/federated-strategy.js';
export * from './wire/federation-messages.js';
