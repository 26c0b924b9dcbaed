import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator, type JobReport } from '../../coordinator/coordinator.js';
import { startGrpcCoordinatorServer } from '../../coordinator/grpc-coordinator-server.js';
import type { EgressRecord, FederationConnection } from '../../participant/federation-connection.js';
import { GrpcFederationConnection } from '../../participant/grpc-federation-connection.js';
import { Participant, type ParticipantOutcome } from '../../participant/participant.js';
import type { FederatedStrategy } from '../../protocols/aggregation/federated-strategy.js';
import type { PrivacyPolicy } from '../../participant/privacy-policy.js';
import type { PrivacySpentFields } from '../../protocols/ledger/privacy-spent.js';
import type { Standardization } from '../../participant/data/standardization-from-totals.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import { initFederationKeys } from '../../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../../protocols/keys/read-key-folder.js';
import { scaledMs } from './time-scale.js';

export interface InProcessNode {
  readonly participantId: string;
  readonly dataCsv: string;
  readonly evaluationCsv?: string;
  /** Dial this address instead of the coordinator's (a recording proxy, say). */
  readonly viaAddress?: (coordinatorAddress: string) => Promise<string>;
  readonly onEgress?: (record: EgressRecord) => void;
  /** Wraps the node's connection (to drop or corrupt messages in fault tests). */
  readonly wrapConnection?: (connection: FederationConnection) => FederationConnection;
  readonly logger?: import('pino').Logger;
  /** The node's own privacy floor (default: DEFAULT_PRIVACY_POLICY). */
  readonly privacy?: PrivacyPolicy;
  /** Keep the secret share file after the job (tests that decrypt with the shares afterwards). */
  readonly keepSecretShare?: boolean;
  /** Threshold custody: keep the node's decryption guard in this file (memory only when absent). */
  readonly decryptionGuardFile?: string;
  /** Where the node's refusals go (its ledger, in the CLI). */
  readonly onRefusal?: (messageType: string, reason: string) => void;
  /** Differential privacy: where the node's ε after each round goes (its ledger, in the CLI). */
  readonly onPrivacySpent?: (fields: PrivacySpentFields) => void;
}

export interface InProcessResult {
  readonly report: JobReport;
  /** Per participant: its outcome, or the error its run ended with. */
  readonly outcomes: Readonly<Record<string, ParticipantOutcome>>;
  readonly failures: Readonly<Record<string, Error>>;
  /** Per participant: the global model in force when its run ended (also after a failure). */
  readonly inForce: Readonly<Record<string, Float32Array | undefined>>;
  readonly standardizations: Readonly<Record<string, Standardization | undefined>>;
  readonly keysDirectory: string;
  /** Threshold custody: where each node stored its secret key share. */
  readonly secretShareFiles: Readonly<Record<string, string>>;
}

/**
 * A whole federation inside the test process, but over real gRPC on 127.0.0.1 with real SEAL and
 * tfjs: for tests that need to look inside (leak counts, recorded egress). The multi-process test
 * covers the same path with separate OS processes.
 */
export async function runInProcessFederation(
  job: JobSpec,
  nodes: readonly InProcessNode[],
  options: { strategy?: FederatedStrategy } = {},
): Promise<InProcessResult> {
  const keysDirectory = await mkdtemp(join(tmpdir(), 'hefl-inproc-keys-'));
  const folders = await initFederationKeys(job, keysDirectory);
  const coordinator = await Coordinator.create({
    job,
    keys: await readCoordinatorKeys(folders.coordinator),
    ...(options.strategy ? { strategy: options.strategy } : {}),
  });
  const server = await startGrpcCoordinatorServer(coordinator);
  try {
    const running = coordinator.run();
    const secretShareFiles: Record<string, string> = {};
    const failures: Record<string, Error> = {};
    const inForce: Record<string, Float32Array | undefined> = {};
    const standardizations: Record<string, Standardization | undefined> = {};
    const outcomes = await Promise.all(
      nodes.map(async (node) => {
        const address = node.viaAddress ? await node.viaAddress(server.address) : server.address;
        const grpcConnection = await GrpcFederationConnection.connect({
          address,
          connectTimeoutMs: scaledMs(10_000),
          ...(node.onEgress ? { onEgress: node.onEgress } : {}),
        });
        const connection = node.wrapConnection ? node.wrapConnection(grpcConnection) : grpcConnection;
        secretShareFiles[node.participantId] = join(keysDirectory, 'state', node.participantId, 'secret-share.key');
        const participant = new Participant({
          participantId: node.participantId,
          jobId: job.jobId,
          dataCsv: node.dataCsv,
          evaluationCsv: node.evaluationCsv,
          ...(node.privacy ? { privacy: node.privacy } : {}),
          ...(node.keepSecretShare ? { keepSecretShare: true } : {}),
          ...(node.decryptionGuardFile ? { decryptionGuardFile: node.decryptionGuardFile } : {}),
          ...(node.onRefusal ? { onRefusal: node.onRefusal } : {}),
          ...(node.onPrivacySpent ? { onPrivacySpent: node.onPrivacySpent } : {}),
          secretShareFile: secretShareFiles[node.participantId],
          keys: await readParticipantKeys(folders.participants[node.participantId] as string),
          connection,
          ...(node.logger ? { logger: node.logger } : {}),
        });
        try {
          return [[node.participantId, await participant.run()] as const];
        } catch (error) {
          failures[node.participantId] = error instanceof Error ? error : new Error(String(error));
          return [];
        } finally {
          inForce[node.participantId] = participant.globalWeights;
          standardizations[node.participantId] = participant.standardization;
        }
      }),
    );
    const report = await running;
    return { report, outcomes: Object.fromEntries(outcomes.flat()), failures, inForce, standardizations, keysDirectory, secretShareFiles };
  } finally {
    await server.shutdown();
  }
}
