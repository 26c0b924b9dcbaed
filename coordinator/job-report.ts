import type { CkksSession } from '../protocols/ckks/ckks-session.js';
import { ckksParametersFingerprint } from '../protocols/ckks/ckks-parameters-fingerprint.js';
import { countModelParameters } from '../protocols/job/count-model-parameters.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { softwareVersions } from '../protocols/wire/software-versions.js';
import { saveCoordinatorState } from './coordinator-state.js';
import type { CoordinatorCustody } from './custody/coordinator-custody.js';
import type { ParticipantRoster } from './participant-roster.js';
import type { PublishedAggregates } from './published-aggregates.js';
import { lastCompletedRound, type JobProgress, type JobReport, type ParticipantActivity, type ParticipantActivityState } from './round-types.js';

/** What the report, the dashboard's activity view and the state file are read from. */
export interface JobRecordContext {
  readonly job: JobSpec;
  readonly progress: JobProgress;
  readonly roster: ParticipantRoster;
  readonly session: CkksSession;
  readonly strategyName: string;
  readonly custody: CoordinatorCustody;
  readonly published: PublishedAggregates;
}

export function jobReport({ job, progress, roster, session, strategyName }: JobRecordContext): JobReport {
  return {
    jobId: job.jobId,
    status: progress.status,
    failure: progress.failure,
    strategy: strategyName,
    keyCustody: job.custody.mode,
    collectiveKeySha256: progress.collectiveKeySha256,
    ckks: { ...job.ckks, slotCount: session.slotCount, valuesPerCiphertext: session.valuesPerCiphertext, parametersFingerprint: ckksParametersFingerprint(job.ckks) },
    modelParameters: countModelParameters(job),
    hyperParameters: { model: job.model, training: job.training },
    versions: softwareVersions(),
    participants: job.federation.participants.map((id) => ({ id, sampleCount: roster.sampleCountOf(id) })),
    rounds: [...progress.rounds],
    bytesReceived: progress.bytesReceived,
    bytesSent: progress.bytesSent,
    startedAt: progress.startedAt,
    finishedAt: progress.finishedAt,
  };
}

/** Each listed participant's state, for dashboards; derived from what arrived, never from content. */
export function participantActivity({ job, progress, roster, custody, published }: JobRecordContext): ParticipantActivity[] {
  const round = progress.activeRound;
  const lastRound = published.lastRound;
  return job.federation.participants.map((id): ParticipantActivity => {
    const participant = roster.member(id);
    const chunksReceived = round?.uploads.get(id);
    const upload = chunksReceived !== undefined && round ? { chunksReceived, chunkCount: round.layout.chunkCount } : null;
    const state = ((): ParticipantActivityState => {
      if (!participant) return 'waiting';
      if (!participant.connected) return roster.failureOf(id) ? 'failed' : 'left';
      switch (progress.phase) {
        case 'key-setup':
          return 'key-setup';
        case 'collecting-updates':
          if (!round?.plan.participants.includes(id)) return 'connected';
          if (round.aggregator.hasContribution(id)) return 'submitted';
          return upload ? 'uploading' : 'training';
        case 'decryption':
          return custody.awaitsDecryptionShareFrom(id) ? 'decrypting' : 'submitted';
        case 'evaluation':
          return lastRound !== undefined && progress.evaluations.get(lastRound)?.has(id) ? 'connected' : 'evaluating';
        case 'idle':
          return 'connected';
      }
    })();
    return { id, state, connected: participant?.connected ?? false, lastSeenUnixMs: roster.lastSeenOf(id), sampleCount: participant?.sampleCount ?? null, upload, failure: roster.failureOf(id) };
  });
}

/** The durable state (--state): written atomically, so a crash leaves the previous or the new one. */
export async function saveJobState(stateFile: string | undefined, { job, progress, roster }: JobRecordContext): Promise<void> {
  if (!stateFile) return;
  await saveCoordinatorState(stateFile, {
    format: 'hefl-coordinator-state/1',
    jobId: job.jobId,
    jobSha256: jobSha256(job),
    lastCompletedRound: lastCompletedRound(progress),
    collectiveKeySha256: progress.collectiveKeySha256,
    rounds: [...progress.rounds],
    sampleCounts: Object.fromEntries(job.federation.participants.map((id) => [id, roster.sampleCountOf(id)])),
    bytesReceived: progress.bytesReceived,
    bytesSent: progress.bytesSent,
    startedAt: progress.startedAt,
    savedAt: new Date().toISOString(),
  });
}
