import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator, type JobReport } from '../coordinator/coordinator.js';
import { bankMarketingFeatures } from '../examples/bank-marketing/bank-marketing-job.js';
import { Participant, type ParticipantOutcome } from '../participant/participant.js';
import { readCsvTable } from '../participant/data/read-csv-table.js';
import type { FeatureSchema, JobSpec } from '../protocols/job/job-spec.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { InMemoryFederationConnection } from '../test/support/in-memory-connection.js';
import { writeInstitutionFiles } from './bank-job-end-to-end.js';

/** The institutions' CSVs of a bench federation; the first institution holds the evaluation rows. */
export interface FederationData {
  readonly description: string;
  readonly features: FeatureSchema;
  readonly institutions: readonly { readonly id: string; readonly csv: string }[];
  readonly evaluationCsv: string;
}

/**
 * One job through the product's Coordinator and Participants in this process, over
 * InMemoryFederationConnection (the convergence and DP sections: many jobs, no process start-up).
 */
export async function runInMemoryFederation(job: JobSpec, data: FederationData): Promise<{ report: JobReport; outcomes: ParticipantOutcome[]; wallSeconds: number }> {
  const directory = await mkdtemp(join(tmpdir(), 'hefl-bench-federation-'));
  try {
    const folders = await initFederationKeys(job, join(directory, 'keys'));
    const coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(folders.coordinator) });
    const participants = await Promise.all(
      data.institutions.map(
        async ({ id, csv }, index) =>
          new Participant({
            participantId: id,
            jobId: job.jobId,
            dataCsv: csv,
            ...(index === 0 ? { evaluationCsv: data.evaluationCsv } : {}),
            keys: await readParticipantKeys(folders.participants[id] as string),
            connection: new InMemoryFederationConnection(coordinator),
            allowUnencryptedUpdates: job.custody.mode === 'none',
            encryptionThreads: 0,
          }),
      ),
    );
    const started = performance.now();
    const running = coordinator.run();
    const settled = await Promise.allSettled(participants.map((participant) => participant.run()));
    const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) coordinator.stop('a participant failed');
    const report = await running;
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    if (report.status !== 'finished') throw new Error(`job ${job.jobId} ended ${report.status}: ${report.failure ?? ''}`);
    const outcomes = settled.map((outcome) => (outcome as PromiseFulfilledResult<ParticipantOutcome>).value);
    return { report, outcomes, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The demo's split of the bank data (3 institutions by job, 20 % held out at `bank`) in a temporary folder, for `run`. */
export async function withBankDemoSplit<T>(rowsPerInstitution: number, run: (data: FederationData) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'hefl-bench-bank-split-'));
  try {
    const { files, testFile } = await writeInstitutionFiles(directory, rowsPerInstitution);
    return await run({
      description: "UCI Bank Marketing (bank-additional-full), the demo's split: 3 institutions by job, 20 % held out, duration dropped",
      features: bankMarketingFeatures,
      institutions: ['bank', 'ecommerce', 'government'].map((id) => ({ id, csv: files[id] as string })),
      evaluationCsv: testFile,
    });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** What a section's report says of its data: description, rows per institution, evaluation rows. */
export async function describeFederationData(data: FederationData): Promise<{ dataset: string; rowsPerInstitution: Record<string, number>; evaluationRows: number }> {
  const rowCounts = await Promise.all(data.institutions.map(async ({ id, csv }) => [id, (await readCsvTable(csv)).rows.length] as const));
  return { dataset: data.description, rowsPerInstitution: Object.fromEntries(rowCounts), evaluationRows: (await readCsvTable(data.evaluationCsv)).rows.length };
}
