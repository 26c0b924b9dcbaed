import type { Logger } from 'pino';
import type { FederatedStrategy, RoundPlan } from '../protocols/aggregation/federated-strategy.js';
import { countRoundValues, splitTrainingSum } from '../protocols/aggregation/update-vector.js';
import { federatedEvaluation } from '../protocols/data/evaluation-counts.js';
import { RoundFailedError } from '../protocols/errors.js';
import { countModelParameters } from '../protocols/job/count-model-parameters.js';
import type { RoundKind } from '../protocols/wire/federation-messages.js';
import type { CoordinatorEvents } from './coordinator-events.js';
import { saveJobState, type JobRecordContext } from './job-report.js';
import type { ActiveRound, JobRoundKind, RoundEvaluation, RoundSummary } from './round-types.js';

/** What a round needs of the coordinator; the custody (context.custody) is all that differs per mode. */
export interface RoundContext extends JobRecordContext {
  readonly strategy: FederatedStrategy;
  readonly events: CoordinatorEvents;
  readonly logger: Logger;
  readonly stateFile: string | undefined;
  readonly onRoundCompleted: ((summary: RoundSummary) => void) | undefined;
}

/** What a round's aggregation produced: who contributed, and the sum where this coordinator sees it. */
interface Published {
  readonly contributors: readonly string[];
  readonly values: Float64Array | undefined;
  /** Milliseconds per phase, for the 'round phase times' log line. */
  readonly phaseMs: AggregationPhaseMs;
}

/**
 * Where a round's time went at the coordinator: `collectMs` from the round's announcement to its last
 * update (the nodes' local work, encryption and upload); `aggregateMs` the part of it spent adding
 * chunks to the sum (load, validate, journal, add: it overlaps the upload); `finalizeMs` serializing the
 * sum; `publishMs` the custody's publication (threshold: the joint decryption, shares and combination).
 */
export interface AggregationPhaseMs {
  readonly collectMs: number;
  readonly aggregateMs: number;
  readonly finalizeMs: number;
  readonly publishMs: number;
}

const elapsedMs = (since: number): number => Math.round(performance.now() - since);

/**
 * A failed round (below quorum at its deadline, a decryption share missing) publishes nothing, so
 * the previous model stays in force; it runs again up to `roundRetries` times, each attempt first
 * waiting for absent nodes to rejoin, before the job stops with the reason.
 */
export async function runRoundWithRetries(context: RoundContext, round: number, kind: JobRoundKind): Promise<void> {
  const retries = context.job.federation.roundRetries;
  let firstFailure: string | undefined;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await runRound(context, round, kind);
      return;
    } catch (error) {
      if (context.events.stopRequested || !(error instanceof RoundFailedError)) throw error;
      if (attempt >= retries) {
        throw firstFailure === undefined || firstFailure === error.message
          ? error
          : new RoundFailedError(`${firstFailure} (ran the round again ${retries} time${retries === 1 ? '' : 's'}; last: ${error.message})`);
      }
      firstFailure ??= error.message;
      context.logger.warn({ round, kind, retry: attempt + 1, of: retries, reason: error.message }, 'round failed; previous model stays in force; running the round again');
    }
  }
}

/**
 * One round: its updates are collected, summed and published by the custody; a training round then
 * has the new model evaluated from encrypted per-node counts. The summary holds federation-wide
 * values only, read from the decrypted sums.
 */
async function runRound(context: RoundContext, round: number, kind: JobRoundKind): Promise<void> {
  const { progress } = context;
  const started = performance.now();
  const bytesReceivedAtStart = progress.bytesReceived;
  const bytesSentAtStart = progress.bytesSent;
  const published = await aggregateRound(context, round, kind);
  let totalSamples = 0;
  let meanLocalLoss: number | null = null;
  let evaluation: RoundEvaluation | undefined;
  let evaluationMs = 0;
  if (kind === 'training') {
    if (published.values) ({ totalSamples, meanLocalLoss } = splitTrainingSum(published.values, countModelParameters(context.job)));
    const evaluationStarted = performance.now();
    evaluation = await evaluateRound(context, round);
    evaluationMs = elapsedMs(evaluationStarted);
    if (evaluation?.training) ({ totalSamples, meanLocalLoss } = evaluation.training);
  } else if (published.values) {
    totalSamples = Math.round(published.values[published.values.length - 1] as number);
  }
  context.logger.info({ round, kind, ...published.phaseMs, evaluationMs, totalMs: elapsedMs(started) }, 'round phase times');
  await completeRound(context, {
    round,
    kind,
    contributors: published.contributors,
    meanLocalLoss,
    heldOutAuc: evaluation?.auc ?? null,
    heldOutLoss: evaluation?.loss ?? null,
    evaluationCount: evaluation?.count ?? 0,
    totalWeight: totalSamples,
    seconds: (performance.now() - started) / 1000,
    bytesReceived: progress.bytesReceived - bytesReceivedAtStart,
    bytesSent: progress.bytesSent - bytesSentAtStart,
  });
}

/**
 * One kind of update for a round, step by step: wait for participants → configure → collect
 * updates → close → aggregate → publish (the custody: in the clear, encrypted, or jointly decrypted).
 */
async function aggregateRound(context: RoundContext, round: number, kind: RoundKind): Promise<Published> {
  await waitForParticipants(context, round);
  const plan = configureRound(context, round, kind);
  const active = openRound(context, plan, kind);
  try {
    const collecting = performance.now();
    await collectUpdates(context, active, round, kind);
    closeRound(active, round, kind);
    const collectMs = elapsedMs(collecting);
    const finalizing = performance.now();
    const aggregate = active.aggregator.finalize();
    const finalizeMs = elapsedMs(finalizing);
    const ready = { round, kind, contributors: aggregate.contributors, chunkCount: active.layout.chunkCount, vectorLength: active.layout.vectorLength };
    context.published.lastRound = round;
    const publishing = performance.now();
    const values = await context.custody.publish(ready, aggregate);
    const phaseMs = { collectMs, aggregateMs: Math.round(active.aggregationMs), finalizeMs, publishMs: elapsedMs(publishing) };
    return { contributors: aggregate.contributors, values, phaseMs };
  } finally {
    context.progress.phase = 'idle';
    active.open = false;
    active.aggregator.dispose();
    context.progress.activeRound = undefined;
  }
}

/** A node that went away between rounds may be restarting: it gets the join deadline to rejoin. */
async function waitForParticipants({ roster, custody, events, logger, job }: RoundContext, round: number): Promise<void> {
  const needed = custody.participantsNeeded;
  if (roster.connected().length < needed) {
    logger.warn({ round, connected: roster.connected().length, needed }, 'waiting for participants to rejoin before the round');
    await events.waitFor(() => roster.connected().length >= needed, Date.now() + job.federation.joinDeadlineSeconds * 1000);
  }
}

/** The strategy picks the round's participants and deadline from who is connected. */
function configureRound({ strategy, roster, job }: RoundContext, round: number, kind: RoundKind): RoundPlan {
  const plan = strategy.configureRound({
    round,
    kind,
    connected: roster.connected(),
    minParticipants: job.federation.minParticipants,
    roundDeadlineMs: job.federation.roundDeadlineSeconds * 1000,
    now: Date.now(),
  });
  if (plan.participants.length < plan.minContributions) {
    throw new RoundFailedError(`round ${round}: only ${plan.participants.length} participants connected, ${plan.minContributions} needed`);
  }
  return plan;
}

/** The round's running sum (from the custody), open to updates from now on. */
function openRound({ job, session, custody, progress }: RoundContext, plan: RoundPlan, kind: RoundKind): ActiveRound {
  const vectorLength = countRoundValues(job, kind);
  const layout = { vectorLength, chunkCount: session.chunkCountFor(vectorLength) };
  const active: ActiveRound = {
    plan,
    layout,
    aggregator: custody.createAggregator(layout),
    inFlight: new Set(),
    signatures: new Map(),
    chunkHashes: new Map(),
    digests: new Map(),
    uploads: new Map(),
    aggregationMs: 0,
    open: true,
  };
  progress.activeRound = active;
  return active;
}

/**
 * Announces the round and waits: done when everyone contributed, or when everyone still connected
 * did and that meets the quorum. Below the quorum, a node that went away may still rejoin
 * (restarted) before the deadline. Updates arrive through coordinator/update-intake.ts meanwhile.
 */
async function collectUpdates({ logger, progress, roster, events }: RoundContext, active: ActiveRound, round: number, kind: RoundKind): Promise<void> {
  const { plan, aggregator } = active;
  logger.info({ round, kind, participants: plan.participants }, kind === 'evaluation' ? 'federated evaluation started' : 'round started');
  progress.phase = 'collecting-updates';
  roster.broadcast({ type: 'round-started', round, kind, deadlineUnixMs: plan.deadlineUnixMs });
  events.touched();
  await events.waitFor(
    () =>
      plan.participants.every((id) => aggregator.hasContribution(id)) ||
      (aggregator.contributorCount >= plan.minContributions && plan.participants.every((id) => aggregator.hasContribution(id) || !roster.isConnected(id))),
    plan.deadlineUnixMs,
  );
}

/** No more updates: those still streaming are taken out again, and the quorum must be met. */
function closeRound(active: ActiveRound, round: number, kind: RoundKind): void {
  const { plan } = active;
  active.open = false;
  for (const update of [...active.inFlight]) update.abort(`round ${round} deadline passed`);
  const contributors = active.aggregator.contributorCount;
  if (contributors < plan.minContributions) {
    throw new RoundFailedError(
      `round ${round} (${kind}): ${contributors} of ${plan.participants.length} participants contributed before the deadline; ` +
        `${plan.minContributions} needed`,
    );
  }
}

/**
 * After a training round: every connected node encrypts ROC counts of the new model on its own
 * evaluation rows; their sum is published like any aggregate. Failing to evaluate does not fail the
 * round (the model is already in force everywhere): the summary then has no held-out metrics.
 */
async function evaluateRound(context: RoundContext, round: number): Promise<RoundEvaluation | undefined> {
  const { progress, events, logger } = context;
  try {
    const published = await aggregateRound(context, round, 'evaluation');
    if (published.values) {
      const { auc, loss, count } = federatedEvaluation(published.values);
      return { auc, loss, count, training: undefined };
    }
    return await awaitEvaluationReports(context, round);
  } catch (error) {
    if (events.stopRequested || !(error instanceof RoundFailedError)) throw error;
    logger.warn({ round, reason: error.message }, 'the federated evaluation of this round failed; the round\'s model stands, without held-out metrics');
    return undefined;
  } finally {
    progress.phase = 'idle';
  }
}

/** Where the coordinator cannot decrypt (single-key custody), the nodes report the federation's figures. */
async function awaitEvaluationReports({ progress, events, roster, job }: RoundContext, round: number): Promise<RoundEvaluation | undefined> {
  progress.phase = 'evaluation';
  events.touched();
  await events.waitFor(
    () => roster.connected().every((id) => progress.evaluations.get(round)?.has(id)),
    Date.now() + job.federation.roundDeadlineSeconds * 1000,
  );
  const report = [...(progress.evaluations.get(round)?.values() ?? [])][0];
  if (!report) return undefined;
  return {
    auc: report.evaluationCount > 0 ? report.auc : null,
    loss: report.evaluationCount > 0 ? report.loss : null,
    count: report.evaluationCount,
    training: report.totalSamples > 0 ? { totalSamples: report.totalSamples, meanLocalLoss: report.meanTrainingLoss } : undefined,
  };
}

/** The round counts from here: recorded, saved for --resume, and announced. */
async function completeRound(context: RoundContext, summary: RoundSummary): Promise<void> {
  const { progress, roster, logger, events } = context;
  progress.rounds.push(summary);
  roster.forgetRoundEvents();
  await saveJobState(context.stateFile, context);
  logger.info({ round: summary.round, kind: summary.kind, contributors: summary.contributors.length, seconds: summary.seconds }, 'round completed');
  context.onRoundCompleted?.(summary);
  events.notify({ type: 'round-completed', summary });
}
