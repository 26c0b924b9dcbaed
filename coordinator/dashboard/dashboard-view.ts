import type { Coordinator, JobReport, ParticipantActivity, RoundSummary } from '../coordinator.js';

/** What the auditor-facing panel shows: is evidence being kept, and was anyone refused. */
export interface AuditStatus {
  readonly mutualTls: boolean;
  readonly federationId: string | null;
  readonly ingressLedger: { readonly path: string; readonly records: number; readonly lastRecordHash: string } | null;
  readonly refusals: Readonly<Record<'update' | 'decryption-share' | 'key-setup' | 'peer', number>>;
}

/**
 * Everything the dashboard draws, as one JSON document: participant states, the round timeline
 * with held-out metrics and bytes, HE parameters and the audit status. Counts, metrics and public
 * parameters only: no key material, ciphertext or per-participant plaintext statistic.
 */
export interface DashboardView {
  readonly jobId: string;
  readonly status: JobReport['status'];
  readonly failure: string | null;
  readonly strategy: string;
  readonly keyCustody: JobReport['keyCustody'];
  readonly roundsPlanned: number;
  readonly participants: readonly ParticipantActivity[];
  readonly rounds: readonly RoundSummary[];
  readonly he: JobReport['ckks'] & { readonly modelParameters: number; readonly collectiveKeySha256: string | null };
  readonly bytesReceived: number;
  readonly bytesSent: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly audit: AuditStatus | null;
  readonly generatedAt: string;
}

export function dashboardView(coordinator: Coordinator, audit: AuditStatus | null, now = new Date()): DashboardView {
  const report = coordinator.report();
  return {
    jobId: report.jobId,
    status: report.status,
    failure: report.failure,
    strategy: report.strategy,
    keyCustody: report.keyCustody,
    roundsPlanned: coordinator.job.training.rounds,
    participants: coordinator.participantActivity(),
    rounds: report.rounds,
    he: { ...report.ckks, modelParameters: report.modelParameters, collectiveKeySha256: report.collectiveKeySha256 },
    bytesReceived: report.bytesReceived,
    bytesSent: report.bytesSent,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    audit,
    generatedAt: now.toISOString(),
  };
}
