/** Embed a HEFL participant node in your own service. */
// First: on a Node.js older than 22.12 the import fails here, with what to install.
import '../protocols/require-node-version.js';
export { Participant, type ParticipantOptions, type ParticipantOutcome, type ParticipantProgress, type ParticipantStatus } from './participant.js';
export { GrpcFederationConnection, type GrpcConnectionOptions } from './grpc-federation-connection.js';
export type { FederationConnection, EgressRecord } from './federation-connection.js';
export { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
export { participantConfigSchema, type ParticipantConfig } from './participant-config.js';
// The tfjs model code lives with the participant (the only node that trains).
export { initializeTfBackend } from './model/initialize-tf-backend.js';
export { loadModel } from './model/load-model.js';
// A node's own data: CSV reading and parsing against the job's schema, and its local metrics.
export { readCsvTable, parseCsvText, type CsvTable } from './data/read-csv-table.js';
export { parseDataset, type LocalDataset } from './data/parse-dataset.js';
export { computeAuc } from './data/compute-auc.js';
export { compareWithLocalOnly, type PartnerGain } from './compare-with-local-only.js';
// Differential privacy: what a node's outcome states, and the ledger record it writes per DP round.
export type { ParticipantPrivacy } from './participant-options.js';
export { PRIVACY_SPENT, type PrivacySpentFields } from '../protocols/ledger/privacy-spent.js';
