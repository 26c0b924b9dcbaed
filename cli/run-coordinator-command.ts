import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Coordinator } from '../coordinator/coordinator.js';
import { startCoordinatorHttpServer } from '../coordinator/coordinator-http-server.js';
import { startGrpcCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { readJobFile } from './read-job-file.js';
import { runVerticalCoordinator } from './run-vertical-coordinator.js';
import { writeTrainingReport } from '../reporting/write-training-report.js';
import { ckksParametersFingerprint } from '../protocols/ckks/ckks-parameters-fingerprint.js';
import { ConfigError, KeyCustodyError } from '../protocols/errors.js';
import { assertJobPinned } from '../protocols/trust/assert-job-pinned.js';
import { loadStartupKit, participantFromPeerCertificate, serverCredentialsFor } from '../protocols/trust/startup-kit.js';
import { classifyCoordinatorResponse } from '../protocols/ledger/classify-response.js';
import type { FederationMethodName } from '../proto/load-federation-service.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { ciphertextProbe } from '../protocols/ckks/ciphertext-probe.js';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { ingressLedgerRecorder } from '../coordinator/ingress-ledger.js';
import { readCoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { trackAuditStatus } from '../coordinator/dashboard/audit-status-tracker.js';
import { loadCoordinatorState } from '../coordinator/coordinator-state.js';
import { createLogger, parseLogFormat } from './create-logger.js';
import { formatCoordinatorProgress } from './format-coordinator-progress.js';
import { ProgressLine } from './progress-line.js';
import { EXIT } from './exit-codes.js';
import { roundTableHeader, roundTableRow } from './round-table.js';
import { UsageError } from './usage-error.js';
import { takeResumeOption } from './resume-option.js';
import { parseHostPort } from './parse-host-port.js';
import { isLoopbackHost } from '../protocols/net/loopback-host.js';

export const COORDINATOR_HELP = `Usage: hefl coordinator --job JOB --keys DIR [options]

Starts the coordinator for one job: waits for the job's participants, runs a statistics round and
the training rounds, and sums encrypted updates it cannot decrypt. For a vertical job (the job file
says kind: vertical-logistic-regression) it relays the parties' signed messages, adds their encrypted
parts and intersects their fully blinded PSI lists instead (options --host, --port, --kit, --ledger,
--report, --ready-file and --allow-plaintext-transport apply; the dashboard does not yet).

Options:
  --job FILE          job file (JSON or YAML)                               (required)
  --keys DIR          the coordinator's key folder from \`hefl keys init\`    (required)
  --host HOST         address to listen on                        (default 127.0.0.1)
  --port PORT         port to listen on; 0 picks a free one       (default 7700)
  --report FILE       write the job report (JSON) here when the job ends (rounds, hyper-parameters,
                      HEFL/Node/node-seal/tfjs/protocol versions, HE parameters, bytes)
  --report-dir DIR    write a report folder when the job ends: report.json, model-card.md, rounds.csv,
                      auc.svg, loss.svg
  --ready-file FILE   write the bound host:port here once listening
  --ledger FILE       signed, hash-chained ledger of every request received and every message sent
                      (each request under the participant its certificate proves with --kit;
                      refused and spoofed requests marked "refused", with the reason)
  --state FILE        durable job state, written atomically after every completed round
                      (default: JOB_ID.coordinator-state.json beside the job file)
  --resume            continue the job from its state after a crash: participants rejoin by
                      themselves and the job goes on from the round after the last completed one
  --resume auto       resume when the state file exists, start the job otherwise (for a supervisor
                      such as systemd that restarts the same command line)
  --kit DIR           startup kit from \`hefl provision\`: mutual TLS only, participant ids from certificates
  --allow-plaintext-transport
                      without --kit, serve plain gRPC (no TLS) on a --host that is not loopback;
                      refused otherwise (loopback: 127.0.0.0/8, ::1, localhost)
  --dashboard HOST:PORT
                      serve the live web dashboard (/), GET /metrics (Prometheus) and GET /status
                      (JSON, for \`hefl status\`) there; off by default (--http is the same option)
  --http-token TOKEN  token for --dashboard (required when HOST is not loopback): send it as
                      "Authorization: Bearer TOKEN", or open /?token=TOKEN once in a browser
  --log-format FORMAT json (default: JSON lines on stderr) or pretty (for people)
  --no-progress       no progress line on stderr (it is shown only when stderr is a terminal)
  --quiet             no per-round table on stdout

Example:
  hefl coordinator --job federation/job.json --keys federation/keys/coordinator --port 7700 \\
    --dashboard 127.0.0.1:8080`;

export async function runCoordinatorCommand(argv: string[]): Promise<number> {
  const { argv: rest, resume: resumeMode } = takeResumeOption(argv);
  const { values } = parseArgs({
    args: rest,
    options: {
      job: { type: 'string' },
      keys: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '7700' },
      report: { type: 'string' },
      'report-dir': { type: 'string' },
      'ready-file': { type: 'string' },
      http: { type: 'string' },
      dashboard: { type: 'string' },
      'log-format': { type: 'string' },
      'no-progress': { type: 'boolean', default: false },
      kit: { type: 'string' },
      'allow-plaintext-transport': { type: 'boolean', default: false },
      ledger: { type: 'string' },
      state: { type: 'string' },
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

  // Refused before anything is read or bound: plain gRPC off loopback must be asked for.
  if (!values.kit && !values['allow-plaintext-transport'] && !isLoopbackHost(values.host)) {
    throw new ConfigError(`--host ${values.host} is not loopback and there is no --kit: give --kit DIR (mutual TLS), or --allow-plaintext-transport to serve plain gRPC there`);
  }
  const logFormat = parseLogFormat(values['log-format'], COORDINATOR_HELP);
  if (values.http && values.dashboard && values.http !== values.dashboard) throw new UsageError('--http and --dashboard are the same option; give one', COORDINATOR_HELP);
  const dashboardAddress = values.dashboard ?? values.http;
  const progress = new ProgressLine(process.stderr, process.stderr.isTTY === true && !values['no-progress']);
  const logger = createLogger({ name: 'coordinator', ...(logFormat ? { format: logFormat } : {}), progress });
  const anyJob = await readJobFile(values.job);
  if (anyJob.kind === 'vertical') {
    if (dashboardAddress || resumeMode !== 'never' || values['report-dir']) throw new UsageError('--dashboard, --resume and --report-dir do not support vertical jobs yet (use --report)', COORDINATOR_HELP);
    const print = values.quiet ? () => undefined : (line: string) => progress.around(() => process.stdout.write(`${line}\n`));
    return runVerticalCoordinator(anyJob.job, {
      keysDir: values.keys,
      host: values.host,
      port,
      kitDir: values.kit,
      allowPlaintextTransport: values['allow-plaintext-transport'],
      readyFile: values['ready-file'],
      reportFile: values.report,
      ledgerFile: values.ledger,
      print,
      logger,
    });
  }
  const job = anyJob.job;
  const keys = await readCoordinatorKeys(values.keys);
  // The kit's manifest pins the job: check it before anything is started or written.
  const kit = values.kit ? await loadStartupKit(values.kit) : undefined;
  if (kit && kit.role !== 'coordinator') throw new KeyCustodyError(`${values.kit} is the kit of ${kit.role} "${kit.nodeId}", not the coordinator's`);
  if (kit?.manifest.ckksParametersFingerprint && kit.manifest.ckksParametersFingerprint !== ckksParametersFingerprint(job.ckks)) {
    throw new ConfigError('the job\'s CKKS parameters are not the ones pinned in the federation manifest');
  }
  if (kit) assertJobPinned(job, kit.manifest, `the coordinator (${values.job})`);
  // The round table goes to stdout; when stdout and stderr are the same terminal, above the progress line.
  const print = values.quiet ? () => undefined : (line: string) => progress.around(() => process.stdout.write(`${line}\n`));
  // Durable by default: a crash can always be resumed from the last completed round.
  const stateFile = values.state ?? join(dirname(values.job), `${job.jobId}.coordinator-state.json`);
  // --resume auto: the state if there is one (a restart), a fresh start otherwise (the first start).
  const resume = resumeMode === 'always' || (resumeMode === 'auto' && existsSync(stateFile)) ? await loadCoordinatorState(stateFile, job) : undefined;
  const coordinator = await Coordinator.create({
    job,
    keys,
    logger,
    onRoundCompleted: (summary) => print(roundTableRow(summary)),
    stateFile,
    resume,
  });
  if (resume) logger.info({ lastCompletedRound: resume.lastCompletedRound, state: stateFile }, 'resuming from saved state');
  let ingress: LedgerWriter | undefined;
  if (values.ledger) {
    if (!keys.ledgerKey) throw new KeyCustodyError(`${values.keys} has no ledger.key to sign the ingress ledger (re-create the key folders with \`hefl keys init\`)`);
    ingress = new LedgerWriter(values.ledger, 'coordinator', keys.ledgerKey);
  }
  // A key-less session judges whether arriving payloads are ciphertexts, for the ingress records.
  using classifier = await CkksSession.create(job.ckks);
  const recordIngress = ingress ? ingressLedgerRecorder(ingress, job, classifier) : undefined;
  const audit = trackAuditStatus(coordinator, {
    mutualTls: kit !== undefined,
    federationId: kit?.manifest.federationId ?? null,
    ingressLedger: ingress && values.ledger ? { path: values.ledger, head: () => (ingress as LedgerWriter).head() } : undefined,
  });
  const showProgress = (): void => {
    const report = coordinator.report();
    progress.update(
      formatCoordinatorProgress({
        status: report.status,
        trainingRoundsCompleted: report.rounds.filter((round) => round.kind === 'training').length,
        roundsPlanned: job.training.rounds,
        participants: coordinator.participantActivity(),
      }),
    );
  };
  const stopProgress = progress.enabled ? coordinator.observe(showProgress) : () => undefined;
  // What the coordinator sends (events, aggregates, receipts) goes into the same signed chain.
  const recordResponse = (method: FederationMethodName, bytes: Uint8Array): void => {
    if (!ingress) return;
    const verdict = classifyCoordinatorResponse(method, bytes, ciphertextProbe(classifier, 'outgoing payload'));
    ingress.recordBytes('egress', method, bytes, verdict.classification, verdict.problem, undefined, verdict.fields);
  };
  const server = await startGrpcCoordinatorServer(coordinator, {
    host: values.host,
    port,
    allowPlaintextTransport: values['allow-plaintext-transport'],
    ...(recordIngress ? { onRequestReceived: recordIngress } : {}),
    onResponseSent: recordResponse,
    onPeerRefused: (reason) => {
      audit.peerRefused();
      logger.warn({ reason }, 'refused a caller: certificate check failed');
    },
    ...(kit
      ? { credentials: serverCredentialsFor(kit), authenticatePeer: (auth) => participantFromPeerCertificate(kit.manifest, auth.sslPeerCertificate) }
      : {}),
  });
  if (kit) logger.info({ federationId: kit.manifest.federationId, revoked: kit.manifest.revoked.length }, 'mutual TLS on: participant ids come from their certificates');
  else if (isLoopbackHost(values.host)) logger.warn('no --kit: plain gRPC without TLS, on loopback only');
  else logger.warn({ host: values.host }, '--allow-plaintext-transport: plain gRPC without TLS off loopback; anyone on the network path can read and alter the traffic');
  logger.info({ address: server.address, jobId: job.jobId }, 'coordinator listening');
  let http: Awaited<ReturnType<typeof startCoordinatorHttpServer>> | undefined;
  if (dashboardAddress) {
    http = await startCoordinatorHttpServer(coordinator, {
      ...parseHostPort(dashboardAddress, values.dashboard ? '--dashboard' : '--http', COORDINATOR_HELP),
      audit: audit.status,
      ...(values['http-token'] ? { token: values['http-token'] } : {}),
    });
    logger.info({ address: http.address }, 'dashboard at / (live), metrics at /metrics, status at /status');
    print(`dashboard: http://${http.address}/`);
  }
  if (values['ready-file']) await writeFile(values['ready-file'], server.address);
  print(`HEFL coordinator for job ${job.jobId} on ${server.address}: waiting for ${job.federation.participants.join(', ')}`);
  print(roundTableHeader());

  const stop = (signal: string): void => coordinator.stop(`received ${signal}`);
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const report = await coordinator.run();
  stopProgress();
  audit.dispose();
  progress.clear();
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
        versions: report.versions,
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
