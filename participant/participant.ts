import pino from 'pino';
import { federatedAveraging } from '../protocols/aggregation/federated-averaging.js';
import type { Standardization } from './data/standardization-from-totals.js';
import { HeflError, RoundFailedError } from '../protocols/errors.js';
import { initializeTfBackend } from './model/initialize-tf-backend.js';
import { PROTOCOL_VERSION, type CoordinatorEvent } from '../protocols/wire/federation-messages.js';
import { applyGlobalModel, expectedLayout, fetchPublishedSum } from './apply-global-model.js';
import { backoffDelayMs } from './backoff-delay-ms.js';
import { createParticipantCustody } from './custody/create-participant-custody.js';
import { removeJobFiles, writeFinalModel } from './finish-job.js';
import { writePartnerGain } from './compare-with-local-only.js';
import { createJobState, type JobState } from './job-state.js';
import { checkResumedJob, joinJob } from './join-job.js';
import type { ParticipantNode, ParticipantOptions, ParticipantOutcome, ParticipantStatus } from './participant-options.js';
import { loadParticipantState } from './participant-state.js';
import { failureCodeOf, failurePlaceOf, reportFailure } from './report-failure.js';
import { runLocalRound } from './run-local-round.js';

export type { ParticipantOptions, ParticipantOutcome, ParticipantProgress, ParticipantStatus } from './participant-options.js';

/**
 * One participant node through a whole job. Raw rows stay here: what leaves is the join request,
 * encrypted update chunks with their sample count and local loss, and evaluation metrics. The
 * custody (participant/custody/) is the CKKS stage on the message path; training code never sees a
 * key or a ciphertext. Each step of a round is its own file; `onEvent` only dispatches.
 */
export class Participant {
  private statusValue: ParticipantStatus = 'created';
  private readonly node: ParticipantNode;
  private state: JobState | undefined;
  private stopReason: string | undefined;
  /** The event being handled: where a failure report says the node was. */
  private currentEvent: CoordinatorEvent | undefined;
  /** Set once this node told the coordinator why it stops (one report per run). */
  private reported = false;

  constructor(private readonly options: ParticipantOptions) {
    this.node = { options, logger: options.logger ?? pino({ level: 'silent' }), strategy: options.strategy ?? federatedAveraging };
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

  /**
   * Leaves the job now (SIGINT/SIGTERM): once joined, it first tells the coordinator it was stopped
   * by its operator (waiting at most a few seconds); no rejoining after it.
   */
  stop(reason = 'asked to stop'): void {
    this.stopReason = reason;
    const { connection } = this.options;
    if (!this.state?.accepted || this.reported) return connection.close();
    this.reported = true;
    void reportFailure(this.node, { code: 'stopped-by-operator', ...failurePlaceOf(this.currentEvent, this.state.currentRound) }).finally(() => connection.close());
  }

  async run(): Promise<ParticipantOutcome> {
    const { keys, connection } = this.options;
    const state = (this.state = createJobState(await createParticipantCustody(keys.manifest.custody, this.node)));
    let attempt = 0;
    let lostSince: number | undefined;
    try {
      await initializeTfBackend();
      state.saved = this.options.stateFile ? await loadParticipantState(this.options.stateFile, this.options.participantId) : undefined;
      state.lastAppliedRound = state.saved?.lastAppliedRound;
      // No saved state but the key material: a job under way lets this node catch up on its published aggregates.
      const catchUp = state.saved === undefined && (await state.custody.holdsKeyMaterial());
      this.statusValue = 'joining';
      for (;;) {
        try {
          const events = connection.join({
            jobId: this.options.jobId,
            participantId: this.options.participantId,
            protocolVersion: PROTOCOL_VERSION,
            keyFingerprint: keys.manifest.keyFingerprint,
            resumeAfterRound: state.lastAppliedRound,
            catchUp: state.lastAppliedRound === undefined && catchUp,
          });
          for await (const event of events) {
            // Asked to stop: no further event is handled while the failure report goes out.
            if (this.stopReason !== undefined) break;
            attempt = 0;
            lostSince = undefined;
            this.currentEvent = event;
            let outcome: ParticipantOutcome | undefined;
            try {
              outcome = await this.onEvent(state, event);
            } catch (error) {
              // While the event stream is still open (the coordinator knows this node): say why, then stop.
              await this.reportStop(state, event, error);
              throw error;
            }
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
          this.node.logger.warn({ attempt, delayMs: Math.round(delay), lastAppliedRound: state.lastAppliedRound, reason: error.message }, 'coordinator lost; rejoining');
          await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, reconnectUntil - Date.now()))));
        }
      }
    } catch (error) {
      this.statusValue = 'failed';
      if (this.stopReason !== undefined) throw new RoundFailedError(`left the job before it finished (${this.stopReason}); its saved state lets it rejoin`);
      throw error;
    } finally {
      state.model?.dispose();
      await state.custody.dispose();
      connection.close();
    }
  }

  /**
   * The one failure report of this run, in a job this node accepted; not when the coordinator ended
   * the job or is gone, or the operator stopped the node (stop() reported that).
   */
  private async reportStop(state: JobState, event: CoordinatorEvent, error: unknown): Promise<void> {
    if (!state.accepted || this.reported || this.stopReason !== undefined || event.type === 'job-failed') return;
    if (error instanceof HeflError && error.code === 'COORDINATOR_UNREACHABLE') return;
    this.reported = true;
    await reportFailure(this.node, { code: failureCodeOf(error), ...failurePlaceOf(event, state.currentRound) });
  }

  /**
   * One event from the coordinator, in the order of a round: join, (threshold) key setup, the local
   * round and its upload, the aggregate by the custody's route, the global model applied; the
   * outcome once the job has finished.
   */
  private async onEvent(state: JobState, event: CoordinatorEvent): Promise<ParticipantOutcome | undefined> {
    const { node } = this;
    switch (event.type) {
      case 'job-accepted':
        if (state.job) checkResumedJob(node, state, event);
        else {
          await joinJob(node, state, event);
          this.statusValue = 'training';
        }
        return undefined;
      case 'key-setup-requested':
        await state.custody.onKeySetupRequested(event);
        return undefined;
      case 'key-setup-complete':
        await state.custody.onKeySetupComplete(event);
        return undefined;
      case 'round-started':
        await runLocalRound(node, state, event);
        return undefined;
      case 'aggregate-ready': // single-key: this node decrypts the aggregate itself
        await applyGlobalModel(node, state, event, await state.custody.decryptAggregate(event, () => expectedLayout(state, event)));
        return undefined;
      case 'decryption-requested': {
        // threshold: this node's partial decryption, if its guard allows
        const job = expectedLayout(state, event);
        const round = { current: state.currentRound, ownUpdateAcknowledged: state.acknowledged.has(`${event.round}:${event.kind}`) };
        await state.custody.onDecryptionRequested(event, job, round);
        return undefined;
      }
      case 'aggregate-decrypted': {
        // none and threshold: the sum the coordinator published
        const sum = await fetchPublishedSum(node, expectedLayout(state, event), event);
        if (sum) await applyGlobalModel(node, state, event, sum);
        return undefined;
      }
      case 'job-finished': {
        const outcome = await writeFinalModel(node, state);
        this.statusValue = 'finished';
        await removeJobFiles(node);
        // After the job, on this node alone: nothing of it is sent (the coordinator has closed the stream).
        const partnerGain = await writePartnerGain(node, state);
        return partnerGain ? { ...outcome, partnerGain } : outcome;
      }
      case 'job-failed':
        throw new RoundFailedError(`the coordinator ended the job: ${event.reason}`);
    }
  }
}
