import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { EgressGuard } from '../participant/egress-guard.js';
import { channelCredentialsFor, loadStartupKit } from '../protocols/trust/startup-kit.js';
import { ConfigError, KeyCustodyError } from '../protocols/errors.js';
import { hostOfAddress, isLoopbackHost } from '../protocols/net/loopback-host.js';
import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { Participant } from '../participant/participant.js';
import { participantConfigSchema } from '../participant/participant-config.js';
import { readConfigFile } from '../protocols/job/read-config-file.js';
import { readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { createLogger, parseLogFormat } from './create-logger.js';
import { formatParticipantProgress } from './format-participant-progress.js';
import { ProgressLine } from './progress-line.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';
import { startProbeServer } from './probe-server.js';
import { parseHostPort } from './parse-host-port.js';
import { runVerticalParticipant } from './run-vertical-participant.js';

export const PARTICIPANT_HELP = `Usage: hefl participant --config NODE_CONFIG [--log-format json|pretty] [--no-progress]

Runs one participant node: joins the coordinator's job, trains on the local CSV and sends only
CKKS-encrypted updates (its sample count, local loss and evaluation counts inside the ciphertexts),
threshold key-setup values and partial decryptions, each checked against the node's privacy floor.
Every message that leaves the node is recorded in OUTPUT_DIR/egress.jsonl (type, size, SHA-256 of its
exact bytes), hash-chained and signed with the node's identity key; \`hefl audit verify\` checks it.
When the node's key folder belongs to a vertical job, the same config runs a party of it (private set
intersection on its id column, its own columns only); the label holder may add scoringCsv.

The config file (JSON or YAML) names: participantId, jobId, coordinator (host:port), dataCsv,
keysDir, and optionally evaluationCsv, outputDir, csvDelimiter, kitDir, keepPayloads,
connectTimeoutSeconds, reconnectSeconds (how long to keep rejoining a coordinator that went away
mid-job, with exponential backoff and jitter; default 300), compareWithLocalOnly (after the job,
train the same model on this node's rows alone and write federated vs local-only AUC and loss on
evaluationCsv to OUTPUT_DIR/partner-gain.json; nothing of it is sent), allowUnencryptedUpdates,
allowPlaintextTransport, and privacy: this node's floor, e.g. {"minContributors": 3,
"verifyAggregate": true, "maxRoundRetries": 1} (the defaults: every participant of the job,
verification on, one retry); a job weaker than it is refused at join. Without kitDir (mutual TLS),
a coordinator address that is not loopback (127.0.0.0/8, ::1, localhost) is refused unless
"allowPlaintextTransport": true.
When the job ends, OUTPUT_DIR/model/ holds the final model: model.json + weights.bin (tfjs),
preprocessing.json, model.onnx (preprocessing inside) and, for logistic regression, coefficients.md
and coefficients.csv; \`hefl predict --model OUTPUT_DIR/model\` scores new rows with it.
Relative paths are resolved from the config file's folder. Check the CSVs against the job first,
offline, with \`hefl check --job JOB --config NODE_CONFIG\` (every problem at once, and a summary).

Options:
  --config FILE        this node's config file                                   (required)
  --log-format FORMAT  json (default: one JSON line per event on stderr) or pretty (for people)
  --no-progress        no progress line (round, local epoch, upload bytes); it is shown only when
                       stderr is a terminal
  --health HOST:PORT   loopback probes for a supervisor: GET /healthz (200 while running) and
                       /readyz (200 while the node takes part in the job, 503 otherwise)

Example:
  hefl participant --config federation/nodes/bank.json`;

export async function runParticipantCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'log-format': { type: 'string' },
      'no-progress': { type: 'boolean', default: false },
      health: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(PARTICIPANT_HELP);
    return EXIT.ok;
  }
  if (!values.config) throw new UsageError('--config is required', PARTICIPANT_HELP);
  const health = values.health === undefined ? undefined : parseHostPort(values.health, '--health', PARTICIPANT_HELP);
  const logFormat = parseLogFormat(values['log-format'], PARTICIPANT_HELP);
  const config = await readConfigFile(values.config, participantConfigSchema);
  // Refused before any connection attempt: plain gRPC off loopback must be asked for.
  if (!config.kitDir && !config.allowPlaintextTransport && !isLoopbackHost(hostOfAddress(config.coordinator))) {
    throw new ConfigError(
      `${values.config}: coordinator ${config.coordinator} is not loopback and there is no kitDir: set "kitDir" (mutual TLS), or "allowPlaintextTransport": true for plain gRPC`,
    );
  }
  const base = dirname(resolve(values.config));
  const fromConfig = (path: string): string => (isAbsolute(path) ? path : join(base, path));
  const outputDir = fromConfig(config.outputDir ?? join('hefl-output', config.participantId));
  await mkdir(outputDir, { recursive: true });

  const progress = new ProgressLine(process.stderr, process.stderr.isTTY === true && !values['no-progress']);
  const logger = createLogger({ name: `participant:${config.participantId}`, ...(logFormat ? { format: logFormat } : {}), progress });
  const keys = await readParticipantKeys(fromConfig(config.keysDir));
  if (!keys.identityKey) throw new KeyCustodyError(`${fromConfig(config.keysDir)} has no identity key to sign this node's egress ledger`);
  // Every message that leaves the node is recorded, signed and hash-chained, before it reaches the socket.
  const egress = new LedgerWriter(
    join(outputDir, 'egress.jsonl'),
    config.participantId,
    keys.identityKey,
    config.keepPayloads ? join(outputDir, 'payloads') : undefined,
  );
  if (keys.manifest.jobKind === 'vertical-logistic-regression') {
    if (config.compareWithLocalOnly) logger.warn('compareWithLocalOnly applies to horizontal jobs only; ignored in this vertical job');
    const verticalKit = config.kitDir ? await loadStartupKit(fromConfig(config.kitDir)) : undefined;
    if (verticalKit && verticalKit.nodeId !== config.participantId) throw new KeyCustodyError(`the startup kit in ${fromConfig(config.kitDir as string)} is for "${verticalKit.nodeId}", this node is "${config.participantId}"`);
    return runVerticalParticipant(config, { keys, egress, kit: verticalKit, outputDir, fromConfig, logger });
  }
  const allowPlaintextUpdates = config.allowUnencryptedUpdates && keys.manifest.custody === 'none';
  using guard = await EgressGuard.create(egress, keys.manifest.ckks, logger, { allowPlaintextUpdates });
  const kit = config.kitDir ? await loadStartupKit(fromConfig(config.kitDir)) : undefined;
  if (kit?.manifest.ckksParametersFingerprint && kit.manifest.ckksParametersFingerprint !== keys.manifest.parametersFingerprint) {
    throw new KeyCustodyError('this node\'s CKKS parameters are not the ones pinned in the federation manifest; refusing to take part');
  }
  if (kit && kit.nodeId !== config.participantId) {
    throw new KeyCustodyError(`the startup kit in ${fromConfig(config.kitDir as string)} is for "${kit.nodeId}", this node is "${config.participantId}"`);
  }
  // Up before the first connection attempt, so a supervisor sees a live process that is not ready yet.
  let node: Participant | undefined;
  await using probe = health ? await startProbeServer({ ...health, status: () => node?.status ?? 'connecting', ready: new Set(['training']) }) : undefined;
  if (probe) logger.info({ address: probe.address }, 'health probes listening (/healthz, /readyz)');
  const connection = await GrpcFederationConnection.connect({
    address: config.coordinator,
    ...(kit ? { credentials: channelCredentialsFor(kit) } : {}),
    allowPlaintextTransport: config.allowPlaintextTransport,
    connectTimeoutMs: config.connectTimeoutSeconds * 1000,
    onEgress: (record) => guard.check(record),
  });
  const participant = new Participant({
    participantId: config.participantId,
    jobId: config.jobId,
    dataCsv: fromConfig(config.dataCsv),
    evaluationCsv: config.evaluationCsv ? fromConfig(config.evaluationCsv) : undefined,
    csvDelimiter: config.csvDelimiter,
    modelDirectory: join(outputDir, 'model'),
    secretShareFile: join(outputDir, 'state', 'secret-share.key'),
    // Saved after every applied round: a restarted node rejoins the job from here.
    stateFile: join(outputDir, 'state', 'participant-state.json'),
    keys,
    connection,
    logger,
    reconnectForMs: config.reconnectSeconds * 1000,
    allowUnencryptedUpdates: config.allowUnencryptedUpdates,
    privacy: config.privacy,
    keepSecretShare: config.keepSecretShare,
    // Every partial decryption this node releases, by c1, fsynced before the share leaves.
    decryptionGuardFile: join(outputDir, 'state', 'decryption-guard.jsonl'),
    // A refused decryption request is recorded in the signed ledger (nothing was sent).
    onRefusal: (messageType, reason) => egress.recordBytes('egress', messageType, new Uint8Array(0), 'refused', reason.slice(0, 2_000)),
    pinnedJobSha256: kit?.manifest.jobSha256,
    // After the job: the local-only model compared with the federated one, in this folder only.
    localOnlyComparisonFile: config.compareWithLocalOnly ? join(outputDir, 'partner-gain.json') : undefined,
    onProgress: (event) => progress.update(formatParticipantProgress(event), event.type !== 'upload' && event.type !== 'training-epoch'),
  });
  // SIGINT/SIGTERM: leave the job cleanly (the coordinator sees a disconnect, not a half update).
  const leave = (signal: string): void => {
    logger.warn({ signal }, 'stopping: leaving the job');
    participant.stop(`received ${signal}`);
  };
  process.once('SIGINT', () => leave('SIGINT'));
  process.once('SIGTERM', () => leave('SIGTERM'));
  node = participant;
  let outcome;
  try {
    outcome = await participant.run();
  } finally {
    progress.clear();
    keys.secretKey?.fill(0); // SEAL holds its own copy; the JS buffer should not outlive the job
  }
  const summary = egress.summary();
  logger.info({ roundsCompleted: outcome.roundsCompleted, egressMessages: summary.messages, egressBytes: summary.bytes, byType: summary.byType }, 'job finished; egress summary');
  return EXIT.ok;
}
