import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { ConfigError, HeflError } from '../../protocols/errors.js';
import { batchSchedule } from '../../protocols/vertical/logistic/batch-schedule.js';
import { initialOptimizerState } from '../../protocols/vertical/logistic/local-optimizer.js';
import { splitTrainValidation } from '../../protocols/vertical/logistic/split-train-validation.js';
import { encodedFeatureCount, labelHolder, verticalJobSpecSchema, type VerticalJobSpec } from '../../protocols/vertical/vertical-job-spec.js';
import { PROTOCOL_VERSION } from '../../protocols/wire/federation-messages.js';
import { readCsvTable } from '../data/read-csv-table.js';
import { encodePartyColumns } from './data/encode-party-columns.js';
import { parsePartyTable } from './data/parse-party-table.js';
import { selectPartyRows } from './data/select-party-rows.js';
import { createVerticalCustody, setUpVerticalKeys } from './custody/create-vertical-custody.js';
import { runVerticalBatch } from './run-vertical-batch.js';
import { runVerticalEvaluation, type VerticalEvaluation } from './run-vertical-evaluation.js';
import { runVerticalPsi } from './run-vertical-psi.js';
import { runVerticalScoring } from './run-vertical-scoring.js';
import type { PartyTable } from './data/parse-party-table.js';
import { VerticalChannel } from './vertical-channel.js';
import type { VerticalConnection, VerticalJoinNotice } from './vertical-connection.js';
import type { VerticalEgressGuard } from './vertical-egress-guard.js';
import { initialTrainingState, readVerticalTrainingState, saveVerticalTrainingState } from './vertical-training-state.js';
import { writeVerticalOutputs } from './write-vertical-outputs.js';
import { VerticalOutbox } from './vertical-outbox.js';
import { loadAlignment, saveAlignment } from './vertical-alignment-store.js';
import { wipeSecretFile } from '../wipe-secret-file.js';
import type { PsiAlignment } from '../../protocols/psi/psi-party.js';

export interface VerticalPartyOptions {
  readonly participantId: string;
  readonly jobId: string;
  readonly dataCsv: string;
  /** Label holder of a job with scoring: the customers to score after training (id and own columns). */
  readonly scoringCsv?: string | undefined;
  readonly csvDelimiter?: ';' | ',' | undefined;
  readonly outputDirectory: string;
  readonly connection: VerticalConnection;
  readonly guard: VerticalEgressGuard;
  readonly identityKey: KeyObject;
  readonly peerIdentities: ReadonlyMap<string, KeyObject>;
  readonly keyFingerprint: string;
  /** Take part in a job with custody `none` (the bench's baseline); refused otherwise. */
  readonly allowUnencrypted?: boolean;
  readonly logger?: Logger;
  readonly psiWorkers?: number;
  readonly onEpoch?: (epoch: number, evaluation: VerticalEvaluation | undefined) => void;
  readonly onGradient?: (epoch: number, batch: number, sums: Float64Array) => void;
}

export interface VerticalPartyOutcome {
  readonly job: VerticalJobSpec;
  readonly intersectionSize: number;
  readonly evaluations: readonly VerticalEvaluation[];
}

/**
 * One party of a vertical job, its steps in order: join; threshold key setup and sealing keys;
 * private set intersection; encode its own columns on the common rows; train epoch by epoch (each
 * batch in run-vertical-batch.ts, an evaluation for the label holder after each epoch); write its
 * model block; report done. What differs between custody modes lives in custody/.
 */
export class VerticalParty {
  private readonly logger: Logger;

  constructor(private readonly options: VerticalPartyOptions) {
    this.logger = options.logger ?? pino({ level: 'silent' });
  }

  async run(): Promise<VerticalPartyOutcome> {
    const { options } = this;
    const notices = options.connection.join({ jobId: options.jobId, participantId: options.participantId, protocolVersion: PROTOCOL_VERSION, keyFingerprint: options.keyFingerprint })[Symbol.asyncIterator]();
    const job = this.acceptJob(await notices.next());
    // The rest of the join stream: the job's end, or its failure (which stops this party's waits).
    const ended = this.watchNotices(notices);
    const work = this.train(job);
    // A failure notice stops this party's waits; the finish notice may arrive before its own last post returns.
    const failed = ended.then((notice) => (notice.type === 'job-failed' ? Promise.reject(new HeflError('ROUND_FAILED', `the coordinator ended the job: ${notice.reason}`)) : new Promise<never>(() => undefined)));
    const outcome = await Promise.race([work, failed]);
    const final = await ended;
    if (final.type === 'job-failed') throw new HeflError('ROUND_FAILED', `the coordinator ended the job: ${final.reason}`);
    options.connection.close();
    return outcome;
  }

  private acceptJob(first: IteratorResult<VerticalJoinNotice>): VerticalJobSpec {
    const notice = first.done ? undefined : first.value;
    if (notice?.type !== 'job-accepted') throw new HeflError('PROTOCOL_VIOLATION', notice?.type === 'job-failed' ? `the coordinator refused: ${notice.reason}` : 'the coordinator did not send the job');
    const parsed = verticalJobSpecSchema.safeParse(notice.jobJson);
    if (!parsed.success) throw new ConfigError(`the coordinator's job is not a valid vertical job: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    const job = parsed.data;
    if (job.jobId !== this.options.jobId) throw new ConfigError(`the coordinator runs job "${job.jobId}", this node is configured for "${this.options.jobId}"`);
    if (!job.parties.some((party) => party.id === this.options.participantId)) throw new ConfigError(`job ${job.jobId} has no party "${this.options.participantId}"`);
    if (job.custody.mode === 'none' && !this.options.allowUnencrypted) {
      throw new ConfigError(`job ${job.jobId} switches encryption off (custody "none"); this node does not allow unencrypted updates`);
    }
    this.logger.info({ jobId: job.jobId, custody: job.custody.mode, parties: job.parties.length }, 'joined vertical job');
    return job;
  }

  private async watchNotices(notices: AsyncIterator<VerticalJoinNotice>): Promise<Exclude<VerticalJoinNotice, { type: 'job-accepted' }>> {
    for (;;) {
      const next = await notices.next();
      if (next.done) return { type: 'job-failed', reason: 'the coordinator closed the join stream' };
      if (next.value.type !== 'job-accepted') return next.value;
    }
  }

  private async train(job: VerticalJobSpec): Promise<VerticalPartyOutcome> {
    const { options } = this;
    const me = options.participantId;
    const party = job.parties.find((candidate) => candidate.id === me);
    if (!party) throw new ConfigError(`job ${job.jobId} has no party "${me}"`);
    const parties = job.parties.map((candidate) => candidate.id);
    const holder = labelHolder(job).id;
    const table = parsePartyTable(await readCsvTable(options.dataCsv, options.csvDelimiter ? { delimiter: options.csvDelimiter } : {}), party.features, {
      idColumn: party.idColumn,
      ...(party.label ? { label: party.label } : {}),
    });
    const stateDirectory = join(options.outputDirectory, 'state');
    const outbox = await VerticalOutbox.open(join(stateDirectory, 'outbox'));
    const channel = new VerticalChannel(options.connection, { jobId: job.jobId, participantId: me, identityKey: options.identityKey, peerIdentities: options.peerIdentities, guard: options.guard, outbox });
    options.guard.setMaxFeaturesPerParty(job.custody.mode === 'threshold' ? job.custody.maxFeaturesPerParty : Math.max(...job.parties.map(encodedFeatureCount)));

    const keyFile = join(stateDirectory, 'vertical-keys.json');
    using material = job.custody.mode === 'threshold' ? await setUpVerticalKeys(channel, job, keyFile) : undefined;
    const alignmentFile = join(stateDirectory, 'psi-alignment.json');
    const alignment = (await loadAlignment(alignmentFile, job.jobId)) ?? (await this.intersect(channel, job, table.ids, alignmentFile));
    const aligned = selectPartyRows(table, alignment.rowsInCommonOrder);
    const split = splitTrainValidation(aligned.rowCount, job.training.validationFraction, job.training.seed);
    const encoded = encodePartyColumns(aligned, party.features, { trainRows: split.train, clip: job.training.clip, featureScaleBits: job.training.featureScaleBits, intercept: party.label !== undefined });
    if (encoded.columns.length !== encodedFeatureCount(party)) throw new ConfigError(`"${me}" encodes ${encoded.columns.length} features, the job declares ${encodedFeatureCount(party)}`);
    const batchesPerEpoch = Math.ceil(split.train.length / job.training.batchSize);
    using custody = await createVerticalCustody(job, me, { batchesPerEpoch, rowsPerBatch: Math.min(job.training.batchSize, split.train.length), validationRows: split.validation.length }, material, this.logger);
    const context = {
      job,
      channel,
      custody,
      parties,
      isLabelHolder: me === holder,
      columns: encoded.columns,
      interceptIndex: encoded.interceptIndex,
      labels: aligned.labels,
      logger: this.logger,
      onGradient: options.onGradient,
    };
    const statePath = join(stateDirectory, 'vertical-state.json');
    let state = (await readVerticalTrainingState(statePath)) ?? initialTrainingState(job.jobId, me, encoded.columns.length, initialOptimizerState(job.training.optimizer, encoded.columns.length));
    const evaluations: VerticalEvaluation[] = [];
    for (let epoch = state.epoch; epoch < job.training.epochs; epoch += 1) {
      const batches = batchSchedule(split.train, job.training.batchSize, epoch, job.training.seed);
      for (let batch = epoch === state.epoch ? state.batch : 0; batch < batches.length; batch += 1) {
        const next = await runVerticalBatch(context, { epoch, batch }, batches[batch] as Int32Array, Float64Array.from(state.weights), state.optimizer);
        state = { ...state, epoch, batch: batch + 1, evaluated: false, weights: Array.from(next.weights), optimizer: next.optimizer };
        await saveVerticalTrainingState(statePath, state);
        // Messages of finished batches are no longer needed for a restart (their addresses stay released).
        await outbox.prune((key) => key.split('/')[1] === String(epoch) && key.split('/')[2] === String(batch + 1));
        this.logger.info({ epoch, batch, rows: (batches[batch] as Int32Array).length }, 'batch done');
      }
      const evaluation = await runVerticalEvaluation(context, epoch, split.validation, Float64Array.from(state.weights));
      if (evaluation) evaluations.push(evaluation);
      options.onEpoch?.(epoch, evaluation);
      this.logger.info({ epoch, ...(evaluation ?? {}) }, 'epoch done');
      state = { ...state, epoch: epoch + 1, batch: 0, evaluated: true };
      await saveVerticalTrainingState(statePath, state);
    }
    const scores = job.scoring
      ? await runVerticalScoring(context, {
          table: me === holder ? await this.scoringTable(party) : table,
          spec: party.features,
          weights: Float64Array.from(state.weights),
          standardization: encoded.standardization,
          intersect: async (ids) => (await loadAlignment(join(stateDirectory, 'psi-scoring-alignment.json'), job.jobId)) ?? this.intersect(channel, job, ids, join(stateDirectory, 'psi-scoring-alignment.json'), 1),
        })
      : undefined;
    await writeVerticalOutputs(options.outputDirectory, {
      scores,
      job,
      participantId: me,
      featureNames: encoded.names,
      weights: state.weights,
      standardization: encoded.standardization,
      intersectionSize: alignment.intersectionSize,
      evaluations,
      // The label holder's own validation ids (its data; the demo compares baselines on these rows).
      validationIds: me === holder ? Array.from(split.validation, (row) => aligned.ids[row] as string) : undefined,
      commonOrderIds: me === holder ? aligned.ids : undefined,
    });
    await channel.send('done', {}, new Uint8Array(0));
    // The job is over: the key share and the sealing key must not outlive it on disk.
    await wipeSecretFile(keyFile);
    return { job, intersectionSize: alignment.intersectionSize, evaluations };
  }

  /** The label holder's customers to score: its scoring CSV, with its own columns and no label. */
  private async scoringTable(party: VerticalJobSpec['parties'][number]): Promise<PartyTable> {
    if (!this.options.scoringCsv) throw new ConfigError(`job scores new customers after training: give the label holder's node a scoringCsv`);
    const csv = await readCsvTable(this.options.scoringCsv, this.options.csvDelimiter ? { delimiter: this.options.csvDelimiter } : {});
    return parsePartyTable(csv, party.features, { idColumn: party.idColumn });
  }

  /** Private set intersection, its result kept so a restarted party does not run it again. */
  private async intersect(channel: VerticalChannel, job: VerticalJobSpec, ids: readonly string[], alignmentFile: string, round = 0): Promise<PsiAlignment> {
    const alignment = await runVerticalPsi(channel, {
      round,
      jobId: job.jobId,
      roster: { parties: job.parties.map((party) => party.id), labelHolder: labelHolder(job).id },
      ids,
      settings: job.psi,
      logger: this.logger,
      ...(this.options.psiWorkers === undefined ? {} : { workers: this.options.psiWorkers }),
    });
    await saveAlignment(alignmentFile, job.jobId, alignment);
    return alignment;
  }
}
