import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { createVerticalSum } from '../coordinator/vertical/vertical-sum.js';
import { startGrpcVerticalServer } from '../coordinator/vertical/grpc-vertical-server.js';
import { VerticalCoordinator } from '../coordinator/vertical/vertical-coordinator.js';
import { KeyCustodyError } from '../protocols/errors.js';
import { loadIdentityPublicKey } from '../protocols/identity/participant-identity.js';
import { readCoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { intersectBlindedLists } from '../protocols/psi/intersect.js';
import { loadStartupKit, participantFromPeerCertificate, serverCredentialsFor } from '../protocols/trust/startup-kit.js';
import type { VerticalJobSpec } from '../protocols/vertical/vertical-job-spec.js';
import { EXIT } from './exit-codes.js';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { verticalIngressRecorder } from '../coordinator/vertical/vertical-ingress-ledger.js';

export interface VerticalCoordinatorArguments {
  readonly keysDir: string;
  readonly host: string;
  readonly port: number;
  readonly kitDir?: string | undefined;
  readonly allowPlaintextTransport: boolean;
  readonly readyFile?: string | undefined;
  readonly reportFile?: string | undefined;
  /** The coordinator's signed ingress ledger (every request's bytes, sender and fate). */
  readonly ledgerFile?: string | undefined;
  readonly print: (line: string) => void;
  readonly logger: Logger;
}

/**
 * `hefl coordinator` for a vertical job: relays the parties' signed messages, adds their encrypted
 * parts and intersects their fully blinded PSI lists. Its key folder holds the identity roster only.
 */
export async function runVerticalCoordinator(job: VerticalJobSpec, args: VerticalCoordinatorArguments): Promise<number> {
  const keys = await readCoordinatorKeys(args.keysDir);
  if (keys.manifest.jobKind !== 'vertical-logistic-regression') throw new KeyCustodyError(`${args.keysDir} was made for a horizontal job; run \`hefl keys init\` with this vertical job`);
  if (!keys.manifest.identities) throw new KeyCustodyError(`${args.keysDir} has no identity roster`);
  const identities = new Map(Object.entries(keys.manifest.identities).map(([id, pem]) => [id, loadIdentityPublicKey(pem)]));
  const kit = args.kitDir ? await loadStartupKit(args.kitDir) : undefined;
  if (kit && kit.role !== 'coordinator') throw new KeyCustodyError(`${args.kitDir} is the kit of ${kit.role} "${kit.nodeId}", not the coordinator's`);
  using sum = await createVerticalSum(job.custody.mode, job.ckks);
  const coordinator = new VerticalCoordinator({
    job,
    identities,
    keyFingerprint: keys.manifest.keyFingerprint,
    sum,
    intersect: (lists) => intersectBlindedLists(lists),
    logger: args.logger,
    onEpochMetrics: (metrics) =>
      args.print(`epoch ${String(metrics.epoch + 1).padStart(3)}  validation AUC ${metrics.validationAuc.toFixed(4)}  loss ${metrics.validationLoss.toFixed(4)}  (${metrics.validationRows} rows, reported by the label holder)`),
  });
  let onRequestReceived: ReturnType<typeof verticalIngressRecorder> | undefined;
  if (args.ledgerFile) {
    if (!keys.ledgerKey) throw new KeyCustodyError(`${args.keysDir} has no ledger.key to sign the ingress ledger (re-create the key folders with \`hefl keys init\`)`);
    onRequestReceived = verticalIngressRecorder(new LedgerWriter(args.ledgerFile, 'coordinator', keys.ledgerKey));
  }
  const server = await startGrpcVerticalServer(coordinator, {
    ...(onRequestReceived ? { onRequestReceived } : {}),
    host: args.host,
    port: args.port,
    allowPlaintextTransport: args.allowPlaintextTransport,
    ...(kit ? { credentials: serverCredentialsFor(kit), authenticatePeer: (auth) => participantFromPeerCertificate(kit.manifest, auth.sslPeerCertificate) } : {}),
  });
  if (kit) args.logger.info({ federationId: kit.manifest.federationId }, 'mutual TLS on: party ids come from their certificates');
  else args.logger.warn('no --kit: plain gRPC without TLS');
  args.logger.info({ address: server.address, jobId: job.jobId, kind: job.kind }, 'vertical coordinator listening');
  if (args.readyFile) await writeFile(args.readyFile, server.address);
  args.print(`HEFL coordinator for vertical job ${job.jobId} on ${server.address}: waiting for ${job.parties.map((party) => party.id).join(', ')}`);
  const stop = (signal: string): void => coordinator.fail(`received ${signal}`);
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const report = await coordinator.finished;
  await server.shutdown();
  if (args.reportFile) {
    await mkdir(dirname(args.reportFile), { recursive: true });
    await writeFile(args.reportFile, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (report.status !== 'finished') {
    process.stderr.write(`hefl coordinator: vertical job ${job.jobId} failed: ${report.reason ?? 'unknown reason'}\n`);
    return EXIT.jobFailed;
  }
  args.print(`vertical job ${job.jobId} finished: ${report.intersectionSize ?? 0} customers in the intersection, ${report.epochs.length} epochs, ${report.bytesReceived} bytes received`);
  return EXIT.ok;
}
