import { join } from 'node:path';
import type { Logger } from 'pino';
import { KeyCustodyError } from '../protocols/errors.js';
import { loadIdentityPublicKey } from '../protocols/identity/participant-identity.js';
import type { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import type { ParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { channelCredentialsFor, type StartupKit } from '../protocols/trust/startup-kit.js';
import type { ParticipantConfig } from '../participant/participant-config.js';
import { createVerticalEgressGuard } from '../participant/vertical/create-vertical-egress-guard.js';
import { GrpcVerticalConnection } from '../participant/vertical/grpc-vertical-connection.js';
import { VerticalParty } from '../participant/vertical/vertical-party.js';
import { EXIT } from './exit-codes.js';

/**
 * `hefl participant` for a node whose key folder belongs to a vertical job: the same config file as
 * a horizontal node (data CSV, key folder, coordinator, output folder, kit), the vertical service.
 */
export async function runVerticalParticipant(
  config: ParticipantConfig,
  context: { keys: ParticipantKeys; egress: LedgerWriter; kit: StartupKit | undefined; outputDir: string; fromConfig: (path: string) => string; logger: Logger },
): Promise<number> {
  const { keys, logger } = context;
  if (!keys.identityKey) throw new KeyCustodyError('this node has no identity key to sign its messages');
  if (!keys.manifest.identities) throw new KeyCustodyError('the key folder has no identity roster');
  const peerIdentities = new Map(Object.entries(keys.manifest.identities).map(([id, pem]) => [id, loadIdentityPublicKey(pem)]));
  const allowPlaintext = config.allowUnencryptedUpdates && keys.manifest.custody === 'none';
  using judged = await createVerticalEgressGuard(context.egress, keys.manifest.ckks, { allowPlaintext, logger });
  const connection = await GrpcVerticalConnection.connect({
    address: config.coordinator,
    jobId: config.jobId,
    participantId: config.participantId,
    ...(context.kit ? { credentials: channelCredentialsFor(context.kit) } : {}),
    allowPlaintextTransport: config.allowPlaintextTransport,
    connectTimeoutMs: config.connectTimeoutSeconds * 1000,
    onEgress: (record) => judged.guard.check(record),
  });
  const party = new VerticalParty({
    participantId: config.participantId,
    jobId: config.jobId,
    dataCsv: context.fromConfig(config.dataCsv),
    scoringCsv: config.scoringCsv ? context.fromConfig(config.scoringCsv) : undefined,
    csvDelimiter: config.csvDelimiter,
    outputDirectory: context.outputDir,
    connection,
    guard: judged.guard,
    identityKey: keys.identityKey,
    peerIdentities,
    keyFingerprint: keys.manifest.keyFingerprint,
    allowUnencrypted: allowPlaintext,
    logger,
    onEpoch: (epoch, evaluation) => {
      if (evaluation) logger.info({ epoch: epoch + 1, validationAuc: evaluation.validationAuc, validationLoss: evaluation.validationLoss }, 'epoch evaluated (label holder)');
    },
  });
  try {
    const outcome = await party.run();
    const summary = context.egress.summary();
    logger.info({ intersectionSize: outcome.intersectionSize, epochs: outcome.job.training.epochs, egressMessages: summary.messages, egressBytes: summary.bytes, model: join(context.outputDir, 'model') }, 'vertical job finished; egress summary');
    return EXIT.ok;
  } finally {
    connection.close();
  }
}
