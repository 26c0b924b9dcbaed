/** Embed a HEFL coordinator in your own service. */
// First: on a Node.js older than 22.12 the import fails here, with what to install.
import '../protocols/require-node-version.js';
export { Coordinator, type CoordinatorOptions, type CoordinatorStatus, type JobReport, type RoundSummary, type EventSink } from './coordinator.js';
export { startGrpcCoordinatorServer, type RunningCoordinatorServer } from './grpc-coordinator-server.js';
