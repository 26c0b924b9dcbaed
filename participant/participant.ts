import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import pino, { type Logger } from 'pino';
import { federatedAveraging } from '../protocols/aggregation/federated-averaging.js';
import type { FederatedStrategy } from '../protocols/aggregation/federated-strategy.js';
import { ckksParametersFingerprint } from '../protocols/ckks/ckks-parameters-fingerprint.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { CkksWorkerPool, type EncryptedChunk } from '../protocols/ckks/parallel/ckks-worker-pool.js';
import { ciphertextsFor, valuesPerCiphertext } from '../protocols/ckks/values-per-ciphertext.js';
import { encodePlaintextUpdateChunk } from '../protocols/aggregation/plaintext-update-chunk.js';
import { computeAuc } from '../protocols/data/compute-auc.js';
import { EVALUATION_VALUES, evaluationCounts, federatedEvaluation } from '../protocols/data/evaluation-counts.js';
import { countRoundValues, splitTrainingSum, trainingVector } from '../protocols/aggregation/update-vector.js';
import { computeFeatureStatistics } from '../protocols/data/compute-feature-statistics.js';
import { encodeFeatures, type EncodedFeatures } from '../protocols/data/encode-features.js';
import { parseDataset, type LocalDataset } from '../protocols/data/parse-dataset.js';
import { readCsvTable } from '../protocols/data/read-csv-table.js';
import { standardizationFromTotals, type Standardization } from '../protocols/data/standardization-from-totals.js';
import { ConfigError, HeflError, RoundFailedError, WireMessageError } from '../protocols/errors.js';
import { assertSmudgingBudget } from '../protocols/job/assert-smudging-budget.js';
import { countModelParameters } from '../protocols/job/count-model-parameters.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import type { ParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { buildModel } from '../protocols/model/build-model.js';
import { clipUpdate } from '../protocols/model/clip-update.js';
import { computeUpdateDelta } from '../protocols/model/compute-update-delta.js';
import { evaluateLoss } from '../protocols/model/evaluate-model.js';
import { initialWeights } from '../protocols/model/initial-weights.js';
import { initializeTfBackend } from '../protocols/model/initialize-tf-backend.js';
import { predictScores } from '../protocols/model/predict-scores.js';
import { trainLocally } from '../protocols/model/train-locally.js';
import { setFlatWeights } from '../protocols/model/unflatten-weights.js';
import { PROTOCOL_VERSION, type CoordinatorEvent, type RoundKind, type UpdateChunk } from '../protocols/wire/federation-messages.js';
import type { FederationConnection } from './federation-connection.js';
import { ThresholdKeyHolder } from './threshold-key-holder.js';
import { signUpdate, UpdateDigest } from '../protocols/identity/participant-identity.js';
import { writeModelBundle } from './write-model-bundle.js';
import { backoffDelayMs } from './backoff-delay-ms.js';
import { base64ToFloat32, float32ToBase64, loadParticipantState, saveParticipantState, type ParticipantState } from './participant-state.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';
import { DecryptionGuard } from './decryption-guard.js';
import { assertJobMeetsFloor, DEFAULT_PRIVACY_POLICY, describeFloor, resolvePrivacyFloor, type PrivacyFloor, type PrivacyPolicy } from './privacy-policy.js';
import { wipeSecretFile } from './wipe-secret-file.js';
import { assertJobPinned } from '../protocols/trust/assert-job-pinned.js';

/** Below this many ciphertexts per update, starting worker threads costs more than it saves. */
const MIN_CIPHERTEXTS_FOR_WORKERS = 4;

export type ParticipantStatus = 'created' | 'joining' | 'training' | 'finished' | 'failed';

export interface ParticipantOptions {
  readonly participantId: string;
  readonly jobId: string;
  readonly dataCsv: string;
  readonly evaluationCsv?: string | undefined;
  readonly csvDelimiter?: ';' | ',' | undefined;
  /** Where the final model bundle goes; no model is written when absent. */
  readonly modelDirectory?: string | undefined;
  /** Threshold custody: where this node keeps its secret key share (mode 0600); memory only when absent. */
  readonly secretShareFile?: string | undefined;
  readonly keys: ParticipantKeys;
  readonly connection: FederationConnection;
  readonly logger?: Logger;
  readonly strategy?: FederatedStrategy;
  /** Called with each new global model's evaluation (only when evaluation data is configured). */
  readonly onRoundEvaluated?: (round: number, evaluation: { auc: number; loss: number; count: number }) => void;
  /** Called as rounds, local epochs and uploads advance (for progress displays). */
  readonly onProgress?: (progress: ParticipantProgress) => void;
  /**
   * When the coordinator goes away mid-job (a crash, a restart with --resume, a broken link), keep
   * rejoining with exponential backoff and jitter for this long before giving up; 0 = never retry.
   */
  readonly reconnectForMs?: number;
  /**
   * Where this node saves its state after every applied round (atomically), and from where a
   * restarted process takes it to rejoin the job; none when absent.
   */
  readonly stateFile?: string | undefined;
  /** Worker threads for encryption (default: the machine's available parallelism); 0 = this thread. */
  readonly encryptionThreads?: number;
  /** Custody `none` (HE switched off, the benchmark baseline) only with this set; refused otherwise. */
  readonly allowUnencryptedUpdates?: boolean;
  /** Backoff bounds for rejoining (defaults 250 ms doubling up to 5 s, each with ±50 % jitter). */
  readonly reconnectBackoffMs?: { readonly initial: number; readonly max: number };
  /** This node's privacy floor (its config's `privacy`): a weaker job is refused at join. */
  readonly privacy?: PrivacyPolicy;
  /**
   * Threshold custody: where the node appends (and fsyncs) every partial decryption it releases, by
   * c1, before the share leaves; read again after a restart. Memory only when absent.
   */
  readonly decryptionGuardFile?: string | undefined;
  /**
   * Keep the secret key share on disk after the job finished (it is wiped by default; a failed or
   * stopped job always keeps it, for a resume).
   */
  readonly keepSecretShare?: boolean;
  /** Called when the node refuses to release something (a partial decryption): the CLI records it in the ledger. */
  readonly onRefusal?: (messageType: string, reason: string) => void;
  /** SHA-256 of the job pinned in the startup kit's manifest (`hefl provision --job`): any other job is refused at join. */
  readonly pinnedJobSha256?: string | undefined;
}

/** What a progress display can show; counts and sizes only, never data or key material. */
export type ParticipantProgress =
  | { readonly type: 'round-started'; readonly round: number; readonly kind: RoundKind; readonly rounds: number }
  | { readonly type: 'training-epoch'; readonly round: number; readonly epoch: number; readonly epochs: number }
  | { readonly type: 'upload'; readonly round: number; readonly bytesSent: number; readonly bytesTotal: number }
  | { readonly type: 'round-applied'; readonly round: number };

export interface ParticipantOutcome {
  readonly roundsCompleted: number;
  readonly finalWeights: Float32Array;
  readonly standardization: Standardization;
  readonly sampleCount: number;
}

interface JobState {
  /** Single-key custody only: decrypts each aggregate with the shared secret key (encryption is the pool's). */
  session: CkksSession | undefined;
  /** Threshold custody: this node's share of the decryption key and the key-setup protocol. */
  threshold: ThresholdKeyHolder | undefined;
  /** What this node saved before its process restarted, if it did. */
  saved: ParticipantState | undefined;
  job: JobSpec | undefined;
  data: PreparedData | undefined;
  standardization: Standardization | undefined;
  globalWeights: Float32Array | undefined;
  model: tf.Sequential | undefined;
  roundsCompleted: number;
  currentRound: number;
  /** The last round whose aggregate this node applied (0 = statistics); what it rejoins with. */
  lastAppliedRound: number | undefined;
  /** Threshold custody: SHA-256 of the collective key this node verified. */
  collectiveKeySha256: string | undefined;
  collectiveKey: Uint8Array | undefined;
  /** The privacy floor this node enforces in this job (its policy resolved against the job). */
  floor: PrivacyFloor | undefined;
  /** `round:kind` of the updates the coordinator acknowledged in the current attempt of each round. */
  acknowledged: Set<string>;
  /** The latest training round's federation-wide sample count and mean local loss (from its decrypted sum). */
  lastTraining: { round: number; totalSamples: number; meanLocalLoss: number } | undefined;
}

interface PreparedData {
  readonly dataset: LocalDataset;
  readonly evaluation: LocalDataset | undefined;
  train?: EncodedFeatures;
  evaluationEncoded?: EncodedFeatures | undefined;
}

/**
 * One participant node through a whole job. Raw rows stay here: what leaves is the join request,
 * encrypted update chunks with their sample count and local loss, and evaluation metrics. The
 * CKKS stage sits on the message path; training code never sees a key or a ciphertext.
 */
export class Participant {
  private statusValue: ParticipantStatus = 'created';
  private readonly logger: Logger;
  private readonly strategy: FederatedStrategy;

  constructor(private readonly options: ParticipantOptions) {
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.strategy = options.strategy ?? federatedAveraging;
  }

  get status(): ParticipantStatus {
    return this.statusValue;
  }

  /** The global model in force at this node: after a failed round it is still the previous one. */
  get globalWeights(): Float32Array | undefined {
    return this.state?.globalWeights?.slice();
  }

  /** The federated feature standardization (after round 0). */
  get standardization(): Standardization | undefined {
    return this.state?.standardization;
  }

  private state: JobState | undefined;
  private stopReason: string | undefined;

  /** Leaves the job now (SIGINT/SIGTERM): the coordinator sees a disconnect; no rejoining after it. */
  stop(reason = 'asked to stop'): void {
    this.stopReason = reason;
    this.options.connection.close();
  }

  async run(): Promise<ParticipantOutcome> {
    const { keys, connection } = this.options;
    const state: JobState = (this.state = {
      // Threshold custody never decrypts alone (partial decryptions are the key holder's), and custody
      // none has nothing to decrypt: only single-key custody holds a decrypting session.
      session:
        keys.manifest.custody === 'single-key'
          ? await CkksSession.create(keys.manifest.ckks, { publicKey: keys.publicKey, secretKey: keys.secretKey })
          : undefined,
      threshold: undefined,
      saved: undefined,
      job: undefined,
      data: undefined,
      standardization: undefined,
      globalWeights: undefined,
      model: undefined,
      roundsCompleted: 0,
      currentRound: -1,
      lastAppliedRound: undefined,
      collectiveKeySha256: undefined,
      collectiveKey: undefined,
      floor: undefined,
      acknowledged: new Set(),
      lastTraining: undefined,
    });
    let attempt = 0;
    let lostSince: number | undefined;
    try {
      await initializeTfBackend();
      state.saved = this.options.stateFile ? await loadParticipantState(this.options.stateFile, this.options.participantId) : undefined;
      state.lastAppliedRound = state.saved?.lastAppliedRound;
      this.statusValue = 'joining';
      for (;;) {
        try {
          const events = connection.join({
            jobId: this.options.jobId,
            participantId: this.options.participantId,
            protocolVersion: PROTOCOL_VERSION,
            keyFingerprint: keys.manifest.keyFingerprint,
            resumeAfterRound: state.lastAppliedRound,
          });
          for await (const event of events) {
            attempt = 0;
            lostSince = undefined;
            const outcome = await this.onEvent(state, event);
            if (outcome) return outcome;
          }
          throw new HeflError('COORDINATOR_UNREACHABLE', 'the coordinator closed the connection before the job finished');
        } catch (error) {
          // Only a lost coordinator is worth waiting for, and only once this node holds a model to resume from.
          const lost = error instanceof HeflError && error.code === 'COORDINATOR_UNREACHABLE' && this.stopReason === undefined;
          lostSince ??= Date.now();
          const reconnectUntil = lostSince + (this.options.reconnectForMs ?? 0);
          if (!lost || state.lastAppliedRound === undefined || Date.now() >= reconnectUntil) throw error;
          const delay = backoffDelayMs(attempt, this.options.reconnectBackoffMs ?? { initial: 250, max: 5_000 });
          attempt += 1;
          this.logger.warn({ attempt, delayMs: Math.round(delay), lastAppliedRound: state.lastAppliedRound, reason: error.message }, 'coordinator lost; rejoining');
          await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, reconnectUntil - Date.now()))));
        }
      }
    } catch (error) {
      this.statusValue = 'failed';
      if (this.stopReason !== undefined) throw new RoundFailedError(`left the job before it finished (${this.stopReason}); its saved state lets it rejoin`);
      throw error;
    } finally {
      state.model?.dispose();
      state.session?.dispose();
      state.threshold?.dispose();
      await this.pool?.pool.close();
      this.pool = undefined;
      connection.close();
    }
  }

  /** One event from the coordinator; the outcome once the job has finished. */
  private async onEvent(state: JobState, event: CoordinatorEvent): Promise<ParticipantOutcome | undefined> {
    const { keys } = this.options;
    switch (event.type) {
      case 'job-accepted': {
        if (state.job) {
          this.checkResumedJob(state, event);
          break;
        }
        state.job = this.acceptJob(event.job);
        state.floor = resolvePrivacyFloor(this.options.privacy ?? DEFAULT_PRIVACY_POLICY, state.job);
        try {
          assertJobMeetsFloor(state.job, state.floor);
        } catch (error) {
          this.options.onRefusal?.('JobRefused', error instanceof Error ? error.message : String(error));
          throw error;
        }
        this.logger.info({ jobId: state.job.jobId, ...describeFloor(state.job, state.floor) }, 'privacy floor this node enforces');
        if (state.job.custody.mode === 'threshold') {
          if (!keys.identityKey || !keys.manifest.identities) throw new ConfigError('threshold custody needs this node\'s identity key folder');
          state.threshold = new ThresholdKeyHolder(
            state.job,
            this.options.participantId,
            keys.identityKey,
            keys.manifest.identities,
            this.options.connection,
            this.logger,
            this.options.secretShareFile,
            state.floor,
            await DecryptionGuard.open(this.options.decryptionGuardFile),
            this.options.onRefusal,
          );
        }
        state.data = await this.loadData(state.job);
        if (state.saved) await this.restoreSaved(state, state.saved, event.resumed);
        this.statusValue = 'training';
        break;
      }
      case 'key-setup-requested':
        await this.requireThreshold(state.threshold).onKeySetupRequested(event);
        break;
      case 'key-setup-complete': {
        const collectiveKey = await this.requireThreshold(state.threshold).onKeySetupComplete(event);
        state.collectiveKeySha256 = event.collectiveKeySha256;
        state.collectiveKey = collectiveKey;
        break;
      }
      case 'round-started': {
        const { job, data } = state;
        if (!job || !data) throw new WireMessageError('round started before the job was accepted');
        if (job.custody.mode !== 'none' && !this.encryptionKey(state)) throw new WireMessageError('round started before the encryption key was set up');
        state.currentRound = event.round;
        state.acknowledged.delete(`${event.round}:${event.kind}`);
        this.options.onProgress?.({ type: 'round-started', round: event.round, kind: event.kind, rounds: job.training.rounds });
        if (event.kind === 'statistics') {
          // Round 0: encrypted per-column sums, sums of squares and the row count.
          const statistics = computeFeatureStatistics(data.dataset, job.features);
          await this.submit(state, job, event.round, 'statistics', statistics);
          statistics.fill(0);
        } else if (event.kind === 'evaluation') {
          // The new global model on this node's evaluation rows, as encrypted ROC counts (zeros without any).
          const counts = this.evaluationVector(state, event.round);
          await this.submit(state, job, event.round, 'evaluation', counts);
          counts.fill(0);
        } else {
          if (!data.train || !state.globalWeights) throw new WireMessageError('training round before the statistics round');
          state.model ??= buildModel(job.model, data.train.width);
          const trained = await trainLocally({
            model: state.model,
            globalWeights: state.globalWeights,
            features: data.train.features,
            labels: data.train.labels,
            rowCount: data.train.rowCount,
            width: data.train.width,
            settings: job.training,
            round: event.round,
            onEpochEnd: (epoch) => this.options.onProgress?.({ type: 'training-epoch', round: event.round, epoch, epochs: job.training.localEpochs }),
          });
          const { delta } = clipUpdate(computeUpdateDelta(trained.weights, state.globalWeights), job.training.clipNorm);
          const weighted = this.strategy.weightUpdate(delta, trained.sampleCount);
          // n and n·loss ride inside the ciphertext: only federation-wide sums are ever decrypted.
          const vector = trainingVector(weighted, trained.sampleCount, trained.meanLoss);
          weighted.fill(0);
          await this.submit(state, job, event.round, 'training', vector);
          vector.fill(0);
        }
        break;
      }
      case 'aggregate-ready': {
        // Single-key custody: every participant decrypts the aggregate itself.
        if (!state.session?.canDecrypt) throw new WireMessageError('an encrypted aggregate arrived, but this node holds no decryption key');
        const job = this.expectedLayout(state, event);
        const chunks = await this.options.connection.fetchAggregate({ jobId: job.jobId, participantId: this.options.participantId, round: event.round, kind: event.kind });
        await this.applyAggregate(state, event, state.session.decryptVector(chunks, event.vectorLength));
        await this.saveState(state);
        break;
      }
      case 'decryption-requested': {
        const job = this.expectedLayout(state, event);
        if (this.pool) this.requireThreshold(state.threshold).useDecryptionPool(this.pool.pool);
        const round = { current: state.currentRound, ownUpdateAcknowledged: state.acknowledged.has(`${event.round}:${event.kind}`) };
        await this.requireThreshold(state.threshold).onDecryptionRequested(event, round, () =>
          this.options.connection.fetchAggregate({ jobId: job.jobId, participantId: this.options.participantId, round: event.round, kind: event.kind }),
        );
        break;
      }
      case 'aggregate-decrypted': {
        const job = this.expectedLayout(state, event);
        const request = { jobId: job.jobId, participantId: this.options.participantId, round: event.round, kind: event.kind };
        let chunks: Float64Array[];
        try {
          chunks = await this.options.connection.fetchDecryptedAggregate(request);
        } catch (error) {
          // The federation's evaluation only feeds this node's log; after the last round the job may end first.
          if (event.kind !== 'evaluation' || !(error instanceof HeflError)) throw error;
          this.logger.debug({ round: event.round, reason: error.message }, 'the federated evaluation was no longer served');
          break;
        }
        const sum = new Float64Array(event.vectorLength);
        let offset = 0;
        for (const chunk of chunks) {
          if (offset + chunk.length > sum.length) throw new WireMessageError('the decrypted aggregate is longer than announced');
          sum.set(chunk, offset);
          offset += chunk.length;
        }
        if (offset !== sum.length) throw new WireMessageError(`the decrypted aggregate has ${offset} values, ${sum.length} announced`);
        await this.applyAggregate(state, event, sum);
        await this.saveState(state);
        break;
      }
      case 'job-finished': {
        const { job, model, globalWeights, standardization, data } = state;
        if (!job || !model || !globalWeights || !standardization || !data) throw new WireMessageError('job finished before any round');
        if (this.options.modelDirectory) {
          setFlatWeights(model, globalWeights);
          await writeModelBundle(model, job, standardization, this.options.modelDirectory);
          this.logger.info({ directory: this.options.modelDirectory }, 'final global model written');
        }
        this.statusValue = 'finished';
        // The job is over: a later job with this output folder must not try to resume this one, and
        // the key share (useless now, dangerous if stolen with an old aggregate) is overwritten and removed.
        if (this.options.stateFile) await rm(this.options.stateFile, { force: true });
        if (this.options.decryptionGuardFile) await rm(this.options.decryptionGuardFile, { force: true });
        if (this.options.secretShareFile && !this.options.keepSecretShare && (await wipeSecretFile(this.options.secretShareFile))) {
          this.logger.info({ file: this.options.secretShareFile }, 'secret key share wiped (overwritten, then removed): the job has ended');
        }
        return { roundsCompleted: state.roundsCompleted, finalWeights: globalWeights, standardization, sampleCount: data.dataset.rowCount };
      }
      case 'job-failed':
        throw new RoundFailedError(`the coordinator ended the job: ${event.reason}`);
    }
    return undefined;
  }

  /** The key updates are encrypted under: the shared one (single-key) or the collective one (threshold). */
  private encryptionKey(state: JobState): Uint8Array | undefined {
    return this.options.keys.manifest.custody === 'single-key' ? this.options.keys.publicKey : state.collectiveKey;
  }

  /**
   * Rejoining a job this node is already in: the same job, the same collective key, and the
   * coordinator's last completed round must be the one this node's model is from.
   */
  private checkResumedJob(state: JobState, event: { job: JobSpec; resumed?: { lastCompletedRound: number; collectiveKeySha256: string | undefined } | undefined }): void {
    const job = state.job as JobSpec;
    if (JSON.stringify(event.job) !== JSON.stringify(job)) throw new WireMessageError('after rejoining, the coordinator sent a different job');
    if (!event.resumed || event.resumed.lastCompletedRound !== state.lastAppliedRound) {
      throw new WireMessageError(`after rejoining, the coordinator is at round ${event.resumed?.lastCompletedRound ?? 'none'}, this node at ${state.lastAppliedRound}`);
    }
    if (job.custody.mode === 'threshold' && event.resumed.collectiveKeySha256 !== state.collectiveKeySha256) {
      throw new WireMessageError('after rejoining, the coordinator names another collective key; refusing to go on');
    }
    state.currentRound = state.lastAppliedRound;
    this.logger.info({ lastCompletedRound: event.resumed.lastCompletedRound }, 'rejoined the job; continuing with the next round');
  }

  /** After every applied round: what a restarted process needs to rejoin (no data, no secret). */
  private async saveState(state: JobState): Promise<void> {
    const { stateFile, participantId } = this.options;
    const { job, globalWeights, standardization, lastAppliedRound } = state;
    if (!stateFile || !job || !globalWeights || !standardization || lastAppliedRound === undefined) return;
    await mkdir(dirname(stateFile), { recursive: true, mode: 0o700 });
    await saveParticipantState(stateFile, {
      format: 'hefl-participant-state/2',
      jobId: job.jobId,
      jobSha256: jobSha256(job),
      participantId,
      lastAppliedRound,
      roundsCompleted: state.roundsCompleted,
      globalWeights: float32ToBase64(globalWeights),
      means: Array.from(standardization.means),
      stds: Array.from(standardization.stds),
      collectiveKey: state.collectiveKey ? Buffer.from(state.collectiveKey).toString('base64') : null,
      collectiveKeySha256: state.collectiveKeySha256 ?? null,
      savedAt: new Date().toISOString(),
    });
  }

  /**
   * A restarted node rejoining its job: the saved model must be from exactly the coordinator's last
   * completed round, the job and the collective key the same.
   */
  private async restoreSaved(
    state: JobState,
    saved: ParticipantState,
    resumed: { lastCompletedRound: number; collectiveKeySha256: string | undefined } | undefined,
  ): Promise<void> {
    const { threshold } = state;
    const job = state.job as JobSpec;
    const data = state.data as PreparedData;
    const source = this.options.stateFile as string;
    if (saved.jobSha256 !== jobSha256(job)) throw new ConfigError(`${source} is the saved state of another job (or of an edited job file); remove it to join afresh`);
    if (!resumed || resumed.lastCompletedRound !== saved.lastAppliedRound) {
      throw new RoundFailedError(`this node's saved model is from round ${saved.lastAppliedRound}; the coordinator's last completed round is ${resumed?.lastCompletedRound ?? 'none'}`);
    }
    state.standardization = { means: Float64Array.from(saved.means), stds: Float64Array.from(saved.stds) };
    data.train = encodeFeatures(data.dataset, job.features, state.standardization);
    data.evaluationEncoded = data.evaluation ? encodeFeatures(data.evaluation, job.features, state.standardization) : undefined;
    state.model ??= buildModel(job.model, data.train.width);
    const weights = base64ToFloat32(saved.globalWeights, source);
    if (weights.length !== countModelParameters(job)) throw new ConfigError(`${source}: the saved model has ${weights.length} parameters, the job's model ${countModelParameters(job)}`);
    state.globalWeights = weights;
    state.roundsCompleted = saved.roundsCompleted;
    state.currentRound = saved.lastAppliedRound;
    if (job.custody.mode === 'threshold') {
      if (!saved.collectiveKey || !threshold) throw new ConfigError(`${source}: no collective key saved for this threshold-custody job`);
      const collectiveKey = new Uint8Array(Buffer.from(saved.collectiveKey, 'base64'));
      const sha256 = createHash('sha256').update(collectiveKey).digest('hex');
      if (sha256 !== saved.collectiveKeySha256 || sha256 !== resumed.collectiveKeySha256) {
        throw new WireMessageError('the coordinator names another collective key than the one this node saved; refusing to go on');
      }
      await threshold.restore();
      state.collectiveKey = collectiveKey;
      state.collectiveKeySha256 = sha256;
    }
    this.logger.info({ lastAppliedRound: saved.lastAppliedRound }, 'restored this node\'s saved state; rejoining the job');
  }

  private requireThreshold(threshold: ThresholdKeyHolder | undefined): ThresholdKeyHolder {
    if (!threshold) throw new WireMessageError('a threshold key-custody message arrived, but this job does not use threshold custody');
    return threshold;
  }

  /** The aggregate's announced length must be the round kind's: statistics, training or evaluation. */
  private expectedLayout(state: JobState, event: { round: number; kind: RoundKind; vectorLength: number }): JobSpec {
    const { job } = state;
    if (!job || !state.data) throw new WireMessageError('aggregate before the job was accepted');
    const expectedLength = countRoundValues(job, event.kind);
    if (event.vectorLength !== expectedLength) {
      throw new WireMessageError(`aggregate of round ${event.round} has ${event.vectorLength} values, expected ${expectedLength}`);
    }
    return job;
  }

  /**
   * The decrypted sum of a round: federated statistics in round 0, the next global model after a
   * training round, the federation's evaluation after an evaluation round. Only federation-wide
   * values are in it: each node's own sample count, loss and evaluation stay inside the sum.
   */
  private async applyAggregate(state: JobState, event: { round: number; kind: RoundKind; contributors: readonly string[] }, sum: Float64Array): Promise<void> {
    const job = state.job as JobSpec;
    const data = state.data as PreparedData;
    if (event.kind === 'evaluation') {
      await this.applyEvaluation(state, job, event.round, sum);
      sum.fill(0);
      return;
    }
    if (event.kind === 'statistics') {
      state.standardization = standardizationFromTotals(sum, job.features);
      data.train = encodeFeatures(data.dataset, job.features, state.standardization);
      data.evaluationEncoded = data.evaluation ? encodeFeatures(data.evaluation, job.features, state.standardization) : undefined;
      state.model ??= buildModel(job.model, data.train.width);
      state.globalWeights = initialWeights(state.model, job.training.seed);
      this.logger.info({ round: event.round, contributors: event.contributors.length }, 'federated standardization ready');
    } else {
      if (!state.globalWeights || !state.model) throw new WireMessageError('training aggregate before the statistics round');
      const training = splitTrainingSum(sum, countModelParameters(job));
      state.globalWeights = this.strategy.nextGlobalWeights(state.globalWeights, training.weightedDeltaSum, training.totalSamples);
      state.roundsCompleted = event.round;
      state.lastTraining = { round: event.round, totalSamples: training.totalSamples, meanLocalLoss: training.meanLocalLoss };
      this.logger.info({ round: event.round, contributors: event.contributors.length }, 'global model updated');
    }
    sum.fill(0);
    state.lastAppliedRound = event.round;
    this.options.onProgress?.({ type: 'round-applied', round: event.round });
  }

  /**
   * This node's evaluation vector for the global model in force: ROC counts, loss sum and rows of its
   * evaluation CSV (all zeros without one), which it encrypts; its own metrics stay in its log.
   */
  private evaluationVector(state: JobState, round: number): Float64Array {
    const { model, globalWeights, data } = state;
    const evaluation = data?.evaluationEncoded;
    if (!model || !globalWeights) throw new WireMessageError('evaluation round before a global model exists');
    if (!evaluation || evaluation.rowCount === 0) return new Float64Array(EVALUATION_VALUES);
    setFlatWeights(model, globalWeights);
    const scores = predictScores(model, evaluation.features, evaluation.rowCount, evaluation.width);
    const auc = computeAuc(scores, evaluation.labels);
    const local = { auc: Number.isNaN(auc) ? 0 : auc, loss: evaluateLoss(scores, evaluation.labels), count: evaluation.rowCount };
    this.options.onRoundEvaluated?.(round, local);
    return evaluationCounts(scores, evaluation.labels);
  }

  /** The federation's evaluation of the round's model; single-key custody reports it (the coordinator cannot decrypt there). */
  private async applyEvaluation(state: JobState, job: JobSpec, round: number, sum: Float64Array): Promise<void> {
    const federated = federatedEvaluation(sum);
    this.logger.info({ round, federatedAuc: federated.auc, evaluationRows: federated.count }, 'federated evaluation of the global model');
    if (job.custody.mode !== 'single-key') return;
    const training = state.lastTraining?.round === round ? state.lastTraining : undefined;
    const receipt = await this.options.connection.reportEvaluation({
      jobId: job.jobId,
      participantId: this.options.participantId,
      round,
      evaluationCount: federated.count,
      auc: federated.auc ?? 0,
      loss: federated.loss ?? 0,
      totalSamples: training?.totalSamples ?? 0,
      meanTrainingLoss: training?.meanLocalLoss ?? 0,
    });
    if (!receipt.accepted) this.logger.warn({ round, reason: receipt.reason }, 'federated evaluation report refused');
  }

  private acceptJob(job: JobSpec): JobSpec {
    assertJobPinned(job, { jobSha256: this.options.pinnedJobSha256 }, `participant "${this.options.participantId}"`);
    const { keys, participantId, jobId } = this.options;
    if (job.jobId !== jobId) throw new ConfigError(`the coordinator runs job "${job.jobId}", this node is configured for "${jobId}"`);
    if (!job.federation.participants.includes(participantId)) {
      throw new ConfigError(`participant "${participantId}" is not listed in job ${job.jobId}`);
    }
    // The job's CKKS parameters must be those the node's keys were made for: no silent downgrade.
    if (ckksParametersFingerprint(job.ckks) !== keys.manifest.parametersFingerprint) {
      throw new ConfigError('the job\'s CKKS parameters differ from those of this node\'s key folder; refusing to take part');
    }
    assertSmudgingBudget(job);
    if (job.custody.mode !== keys.manifest.custody) {
      throw new ConfigError(`the job uses ${job.custody.mode} custody; this node's key folder was made for ${keys.manifest.custody}`);
    }
    if (job.custody.mode === 'none') {
      if (!this.options.allowUnencryptedUpdates) {
        throw new ConfigError(
          `job ${job.jobId} has custody "none": updates would leave this node unencrypted and the coordinator would see each one; ` +
            'refusing (set allowUnencryptedUpdates in this node\'s config only for a benchmark on data that may be shared)',
        );
      }
      this.logger.warn({ jobId: job.jobId }, 'custody none: this node sends its updates UNENCRYPTED (benchmark baseline); its ledger records them as plaintext');
    }
    this.logger.info(
      { jobId: job.jobId, rounds: job.training.rounds, model: job.model.kind, participants: job.federation.participants.length },
      'joined job',
    );
    return job;
  }

  private async loadData(job: JobSpec): Promise<PreparedData> {
    const options = this.options.csvDelimiter ? { delimiter: this.options.csvDelimiter } : {};
    const dataset = parseDataset(await readCsvTable(this.options.dataCsv, options), job.features);
    const evaluation = this.options.evaluationCsv
      ? parseDataset(await readCsvTable(this.options.evaluationCsv, options), job.features)
      : undefined;
    this.logger.info({ rows: dataset.rowCount, evaluationRows: evaluation?.rowCount ?? 0 }, 'local data loaded');
    return { dataset, evaluation };
  }

  /**
   * The encryption stage: Enc(vector) in slot-sized chunks, encrypted on worker threads (both cores)
   * for models of several ciphertexts, and streamed as each chunk is ready, so encryption, SEAL
   * serialization and the upload overlap and only a few chunks are held beyond the model itself.
   * Under threshold custody the last chunk carries the signature over the whole update.
   */
  private async submit(state: JobState, job: JobSpec, round: number, kind: RoundKind, vector: Float64Array): Promise<void> {
    const publicKey = this.encryptionKey(state);
    const { participantId, keys, onProgress } = this.options;
    const chunkCount = ciphertextsFor(job.ckks, vector.length);
    let payloads: AsyncIterable<EncryptedChunk>;
    if (job.custody.mode === 'none') {
      payloads = plaintextChunks(vector, valuesPerCiphertext(job.ckks), chunkCount);
    } else {
      if (!publicKey) throw new WireMessageError('round started before the encryption key was set up');
      payloads = (await this.encryptionPool(job, publicKey)).encryptChunks(vector);
    }
    const metadata = { kind, vectorLength: vector.length, chunkCount };
    const signingKey = job.custody.mode === 'threshold' ? keys.identityKey : undefined;
    const logger = this.logger;
    async function* chunks(): AsyncGenerator<UpdateChunk> {
      const digest = new UpdateDigest();
      let bytesSent = 0;
      for await (const { chunkIndex, ciphertext } of payloads) {
        digest.add(ciphertext);
        const last = chunkIndex === chunkCount - 1;
        yield {
          jobId: job.jobId,
          participantId,
          round,
          chunkIndex,
          ciphertext,
          metadata: chunkIndex === 0 ? metadata : undefined,
          updateSignature: last && signingKey ? signUpdate(signingKey, { jobId: job.jobId, participantId, round, ...metadata }, digest.digest()) : undefined,
        };
        bytesSent += ciphertext.byteLength;
        // Ciphertexts of one job are (nearly) the same size: the total is estimated from those sent.
        onProgress?.({ type: 'upload', round, bytesSent, bytesTotal: last ? bytesSent : Math.round((bytesSent / (chunkIndex + 1)) * chunkCount) });
      }
      logger.debug({ round, chunkCount }, 'update streamed');
    }
    const receipt = await this.options.connection.submitUpdate(chunks());
    const what = job.custody.mode === 'none' ? 'unencrypted update' : 'encrypted update';
    if (receipt.accepted) {
      state.acknowledged.add(`${round}:${kind}`);
      this.logger.info({ round, kind, chunkCount }, `${what} accepted`);
    }
    else this.logger.warn({ round, kind, reason: receipt.reason }, `${what} refused`);
  }

  private pool: { publicKey: Uint8Array; pool: CkksWorkerPool } | undefined;

  /**
   * One encryption pool per key. Worker threads (one SEAL instance each) pay off from a few
   * ciphertexts per update; a small model is encrypted in this thread (the same code path).
   */
  private async encryptionPool(job: JobSpec, publicKey: Uint8Array): Promise<CkksWorkerPool> {
    if (this.pool && Buffer.compare(this.pool.publicKey, publicKey) === 0) return this.pool.pool;
    await this.pool?.pool.close();
    const ciphertextsPerUpdate = ciphertextsFor(job.ckks, countModelParameters(job));
    const threads = this.options.encryptionThreads ?? availableParallelism();
    const workers = ciphertextsPerUpdate >= MIN_CIPHERTEXTS_FOR_WORKERS ? threads : 0;
    // Single-key custody: with the shared secret key the workers encrypt symmetrically (seeded, half the bytes).
    const secretKey = job.custody.mode === 'single-key' ? this.options.keys.secretKey : undefined;
    const pool = await CkksWorkerPool.create(job.ckks, { publicKey, ...(secretKey ? { secretKey } : {}) }, { workers, prepareThresholdDecryption: job.custody.mode === 'threshold' });
    this.logger.info({ workers: pool.workerCount, ciphertextsPerUpdate }, 'encryption stage ready');
    this.pool = { publicKey, pool };
    return pool;
  }
}

/** Custody none: the update as float32 chunks of N values, in the order encryptChunks would yield them. */
async function* plaintextChunks(vector: Float64Array, valuesPerChunk: number, chunkCount: number): AsyncGenerator<EncryptedChunk> {
  for (let chunkIndex = 0; chunkIndex < chunkCount; chunkIndex += 1) {
    const start = chunkIndex * valuesPerChunk;
    yield { chunkIndex, ciphertext: encodePlaintextUpdateChunk(vector, start, Math.min(vector.length, start + valuesPerChunk)) };
  }
}
