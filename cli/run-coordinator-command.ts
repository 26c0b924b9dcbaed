import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { Coordinator } from '../coordinator/coordinator.js';
import { startCoordinatorHttpServer } from '../coordinator/coordinator-http-server.js';
import { startGrpcCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { writeTrainingReport } from '../protocols/report/write-training-report.js';
import { ckksParametersFingerprint } from '../protocols/ckks/ckks-parameters-fingerprint.js';
import { ConfigError, KeyCustodyError } from '../protocols/errors.js';
import { loadStartupKit, participantFromPeerCertificate, serverCredentialsFor } from '../protocols/trust/startup-kit.js';
import { classifyEgress } from '../protocols/ledger/classify-egress.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { readConfigFile } from '../protocols/job/read-config-file.js';
import { readCoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { createLogger } from './create-logger.js';
import { EXIT } from './exit-codes.js';
import { roundTableHeader, roundTableRow } from './round-table.js';
import { UsageError } from './usage-error.js';

export const COORDINATOR_HELP = `Usage: hefl coordinator --job JOB --keys DIR [options]

Starts the coordinator for one job: waits for the job's participants, runs a statistics round and
the training rounds, and sums encrypted updates it cannot decrypt.

Options:
  --job FILE          job file (JSON or YAML)                               (required)
  --keys DIR          the coordinator's key folder from \`hefl keys init\`    (required)
  --host HOST         address to listen on                        (default 127.0.0.1)
  --port PORT         port to listen on; 0 picks a free one       (default 7700)
  --report FILE       write the job report (JSON) here when the job ends
  --report-dir DIR    write a report folder when the job ends: report.json, model-card.md, auc.svg, loss.svg
  --ready-file FILE   write the bound host:port here once listening
  --ledger FILE       signed, hash-chained ingress ledger of every request received (for auditors)
  --kit DIR           startup kit from \`hefl provision\`: mutual TLS only, participant ids from certificates
  --http HOST:PORT    serve GET /metrics (Prometheus) and GET /status (JSON) there; off by default
  --http-token TOKEN  bearer token for --http (required when HOST is not loopback)
  --quiet             no per-round table on stdout

Example:
  hefl coordinator --job federation/job.json --keys federation/keys/coordinator --port 7700`;

export async function runCoordinatorCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      job: { type: 'string' },
      keys: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '7700' },
      report: { type: 'string' },
      'report-dir': { type: 'string' },
      'ready-file': { type: 'string' },
      http: { type: 'string' },
      kit: { type: 'string' },
      ledger: { type: 'string' },
      'http-token': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(COORDINATOR_HELP);
    return EXIT.ok;
  }
  if (!values.job || !values.keys) throw new UsageError('--job and --keys are required', COORDINATOR_HELP);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be 0..65535, got "${values.port}"`, COORDINATOR_HELP);

  const logger = createLogger({ name: 'coordinator' });
  const job = await readConfigFile(values.job, jobSpecSchema);
  const keys = await readCoordinatorKeys(values.keys);
  const print = values.quiet ? () => undefined : (line: string) => process.stdout.write(`${line}\n`);
  const coordinator = await Coordinator.create({ job, keys, logger, onRoundCompleted: (summary) => print(roundTableRow(summary)) });
  const kit = values.kit ? await loadStartupKit(values.kit) : undefined;
  if (kit && kit.role !== 'coordinator') throw new KeyCustodyError(`${values.kit} is the kit of ${kit.role} "${kit.nodeId}", not the coordinator's`);
  if (kit?.manifest.ckksParametersFingerprint && kit.manifest.ckksParametersFingerprint !== ckksParametersFingerprint(job.ckks)) {
    throw new ConfigError('the job\'s CKKS parameters are not the ones pinned in the federation manifest');
  }
  let ingress: LedgerWriter | undefined;
  if (values.ledger) {
    if (!keys.ledgerKey) throw new KeyCustodyError(`${values.keys} has no ledger.key to sign the ingress ledger (re-create the key folders with \`hefl keys init\`)`);
    ingress = new LedgerWriter(values.ledger, 'coordinator', keys.ledgerKey);
  }
  // A key-less session judges whether arriving payloads are ciphertexts, for the ingress records.
  using classifier = await CkksSession.create(job.ckks);
  const recordIngress = (method: string, bytes: Uint8Array, decoded: object): void => {
    if (!ingress) return;
    const verdict = classifyEgress(method, bytes, {
      parameters: job.ckks,
      isCiphertext: (payload) => {
        try {
          classifier.release(classifier.loadCiphertext(payload, 'arriving payload'));
          return true;
        } catch {
          return false;
        }
      },
    });
    const claimed = (decoded as { participantId?: unknown }).participantId;
    ingress.recordBytes(
      'ingress',
      method,
      bytes,
      'refused' in verdict ? 'refused' : verdict.classification,
      'refused' in verdict ? verdict.refused : undefined,
      typeof claimed === 'string' && claimed.length <= 63 ? claimed : undefined,
      'refused' in verdict ? undefined : verdict.fields,
    );
  };
  const server = await startGrpcCoordinatorServer(coordinator, {
    host: values.host,
    port,
    onRequestReceived: recordIngress,
    onPeerRefused: (reason) => logger.warn({ reason }, 'refused a caller: certificate check failed'),
    ...(kit
      ? { credentials: serverCredentialsFor(kit), authenticatePeer: (auth) => participantFromPeerCertificate(kit.manifest, auth.sslPeerCertificate) }
      : {}),
  });
  if (kit) logger.info({ federationId: kit.manifest.federationId, revoked: kit.manifest.revoked.length }, 'mutual TLS on: participant ids come from their certificates');
  else logger.warn('no --kit: plain gRPC without TLS; use only on a trusted network or loopback');
  logger.info({ address: server.address, jobId: job.jobId }, 'coordinator listening');
  let http: Awaited<ReturnType<typeof startCoordinatorHttpServer>> | undefined;
  if (values.http) {
    const match = /^(.+):(\d{1,5})$/.exec(values.http);
    if (!match) throw new UsageError(`--http must be HOST:PORT, got "${values.http}"`, COORDINATOR_HELP);
    http = await startCoordinatorHttpServer(coordinator, {
      host: match[1] as string,
      port: Number(match[2]),
      ...(values['http-token'] ? { token: values['http-token'] } : {}),
    });
    logger.info({ address: http.address }, 'status and metrics at /status and /metrics');
  }
  if (values['ready-file']) await writeFile(values['ready-file'], server.address);
  print(`HEFL coordinator for job ${job.jobId} on ${server.address}: waiting for ${job.federation.participants.join(', ')}`);
  print(roundTableHeader());

  const stop = (signal: string): void => coordinator.stop(`received ${signal}`);
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const report = await coordinator.run();
  // Let participants receive the final event before the server goes away.
  await server.shutdown();
  await http?.close();
  if (values.report) {
    await mkdir(dirname(values.report), { recursive: true });
    await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (values['report-dir']) {
    await writeTrainingReport(
      values['report-dir'],
      {
        job,
        rounds: report.rounds,
        participants: report.participants,
        finalAuc: report.rounds.at(-1)?.heldOutAuc ?? null,
        ckksParametersFingerprint: report.ckks.parametersFingerprint,
        generatedAt: new Date().toISOString(),
      },
      report,
    );
  }
  if (report.status !== 'finished') {
    process.stderr.write(`hefl coordinator: job ${job.jobId} ${report.status}: ${report.failure ?? 'unknown reason'}\n`);
    return EXIT.jobFailed;
  }
  print(`job ${job.jobId} finished: ${report.rounds.length - 1} training rounds, ${report.bytesReceived} bytes received`);
  return EXIT.ok;
}
