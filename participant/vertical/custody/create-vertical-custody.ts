import { CkksSession } from '../../../protocols/ckks/ckks-session.js';
import { coefficientSmudgingBits, DEFAULT_MAX_COLUMN_RMS } from '../../../protocols/ckks/coefficient/index.js';
import { DecryptionBudget } from '../../../protocols/ckks/threshold/decryption-budget.js';
import { ThresholdCkksContext } from '../../../protocols/ckks/threshold/threshold-context.js';
import { KeyCustodyError } from '../../../protocols/errors.js';
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { createSealingKeyPair } from '../../../protocols/sealed-box/index.js';
import { loadVerticalKeys, saveVerticalKeys } from '../vertical-key-store.js';
import { encodedFeatureCount, labelHolder, type VerticalJobSpec } from '../../../protocols/vertical/vertical-job-spec.js';
import type { VerticalChannel } from '../vertical-channel.js';
import { runVerticalKeySetup, type VerticalKeys } from '../vertical-key-setup.js';
import { PlaintextVerticalCustody } from './plaintext-vertical-custody.js';
import { ThresholdVerticalCustody } from './threshold-vertical-custody.js';
import type { VerticalPartyCustody } from './vertical-party-custody.js';

/** What threshold custody sets up before the intersection: the collective key and everyone's sealing key. */
export interface VerticalKeyMaterial extends Disposable {
  readonly context: ThresholdCkksContext;
  readonly keys: VerticalKeys;
  readonly sealing: { readonly publicKey: Uint8Array; readonly privateKey: KeyObject };
  readonly sealingPublicKeys: ReadonlyMap<string, Uint8Array>;
}

/**
 * Threshold custody: dealer-free key setup, then every party's signed X25519 sealing key. A party
 * restarted after its key setup continues with the keys it stored (`keyFile`, owner-only).
 */
export async function setUpVerticalKeys(channel: VerticalChannel, job: VerticalJobSpec, keyFile: string): Promise<VerticalKeyMaterial> {
  const parties = job.parties.map((party) => party.id);
  const context = await ThresholdCkksContext.create(job.ckks);
  try {
    const stored = await loadVerticalKeys(keyFile, job.jobId);
    if (stored) {
      return material(context, { secretShare: stored.secretShare, collectivePublicKey: stored.collectivePublicKey }, { publicKey: stored.sealingPublicKey, privateKey: stored.sealingPrivateKey }, stored.sealingPublicKeys);
    }
    const keys = await runVerticalKeySetup(channel, context, job.jobId, parties);
    const sealing = createSealingKeyPair();
    await channel.send('sealing-key', {}, sealing.publicKey);
    const published = await channel.receiveFromEach('sealing-key', parties);
    const sealingPublicKeys = new Map(parties.map((party, index) => [party, (published[index] as { payload: Uint8Array }).payload]));
    if (Buffer.compare(Buffer.from(sealingPublicKeys.get(channel.participantId) ?? []), Buffer.from(sealing.publicKey)) !== 0) {
      throw new KeyCustodyError('the coordinator relayed another sealing key as this node\'s own');
    }
    await saveVerticalKeys(keyFile, job.jobId, { ...keys, sealingPrivateKey: sealing.privateKey, sealingPublicKey: sealing.publicKey, sealingPublicKeys });
    return material(context, keys, sealing, sealingPublicKeys);
  } catch (error) {
    context[Symbol.dispose]();
    throw error;
  }
}

function material(context: ThresholdCkksContext, keys: VerticalKeys, sealing: VerticalKeyMaterial['sealing'], sealingPublicKeys: ReadonlyMap<string, Uint8Array>): VerticalKeyMaterial {
  return {
    context,
    keys,
    sealing,
    sealingPublicKeys,
    [Symbol.dispose]: () => {
      keys.secretShare.fill(0);
      context[Symbol.dispose]();
    },
  };
}

export interface VerticalSchedule {
  readonly batchesPerEpoch: number;
  readonly rowsPerBatch: number;
  readonly validationRows: number;
}

/**
 * The custody of this party for the job's mode. Smudging of coefficient shares is sized for the
 * decryptions one key answers over the whole job (every party's features, every batch of every epoch).
 */
export async function createVerticalCustody(job: VerticalJobSpec, me: string, schedule: VerticalSchedule, material: VerticalKeyMaterial | undefined, logger?: Logger): Promise<VerticalPartyCustody> {
  const holder = labelHolder(job).id;
  if (job.custody.mode === 'none') return new PlaintextVerticalCustody(holder);
  if (!material) throw new KeyCustodyError('threshold custody needs the collective key before training');
  const parties = job.parties.map((party) => party.id);
  const featureCounts = new Map(job.parties.map((party) => [party.id, encodedFeatureCount(party)]));
  const allFeatures = [...featureCounts.values()].reduce((sum, count) => sum + count, 0);
  const maxDecryptions = job.training.epochs * schedule.batchesPerEpoch * allFeatures;
  const coefficientSigmaBits = coefficientSmudgingBits(job.ckks, {
    parties: parties.length,
    maxDecryptions,
    featureScaleBits: job.training.featureScaleBits,
    maxAbsFeature: job.training.clip,
    maxColumnRms: DEFAULT_MAX_COLUMN_RMS,
    rowsPerBatch: schedule.rowsPerBatch,
  });
  const session = await CkksSession.create(job.ckks, { publicKey: material.keys.collectivePublicKey });
  const scoreCiphertexts = Math.max(1, Math.ceil(schedule.validationRows / job.ckks.polyModulusDegree));
  return new ThresholdVerticalCustody({
    jobId: job.jobId,
    me,
    parties,
    labelHolder: holder,
    context: material.context,
    session,
    collectivePublicKey: material.keys.collectivePublicKey,
    secretShare: material.keys.secretShare,
    sealingKey: material.sealing.privateKey,
    sealingPublicKeys: material.sealingPublicKeys,
    featureCounts,
    featureScaleBits: job.training.featureScaleBits,
    clip: job.training.clip,
    coefficientSmudgingBits: coefficientSigmaBits,
    scoreSmudgingBits: job.custody.smudgingSigmaBits,
    coefficientBudget: new DecryptionBudget(maxDecryptions),
    // Every epoch's evaluation, and the scoring of up to 8 million new customers after training.
    scoreBudget: new DecryptionBudget(job.training.epochs * scoreCiphertexts + 1_024),
    logger,
  });
}
