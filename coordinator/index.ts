/** Embed a HEFL coordinator in your own service. */
export { Coordinator, type CoordinatorOptions, type CoordinatorStatus, type JobReport, type RoundSummary, type EventSink } from './coordinator.js';
export { startGrpcCoordinatorServer, type RunningCoordinatorServer } from './grpc-coordinator-server.js';
