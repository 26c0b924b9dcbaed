import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../coordinator/coordinator.js';
import { bankMarketingDataAvailable, bankMarketingDataPath } from '../examples/bank-marketing/bank-marketing-data.js';
import { bankMarketingFeatures } from '../examples/bank-marketing/bank-marketing-job.js';
import { Participant, type ParticipantOutcome } from '../participant/participant.js';
import { readCsvTable } from '../participant/data/read-csv-table.js';
import { jobSpecSchema, type FeatureSchema, type JobSpec } from '../protocols/job/job-spec.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { InMemoryFederationConnection } from '../test/support/in-memory-connection.js';
import { writeInstitutionFiles } from './bank-job-end-to-end.js';

/**
 * `--only dp`: held-out AUC against ε on the bank-marketing demo split (issue #17). Each federation
 * is the product's Coordinator and Participants in this process over InMemoryFederationConnection,
 * custody none (HE changes nothing but CKKS noise, see the convergence section), logistic regression,
 * `training.differentialPrivacy` record-level DP-SGD in every participant at each noise multiplier;
 * every institution reports its own ε (q = batchSize / its rows) at δ = 1e-5.
 */
export type DpVariant = { readonly noiseMultiplier: number } | { readonly targetEpsilon: number } | null;
/** No DP, four fixed noise multipliers, then the target: each node picks its own z for ε ≤ 2.5. */
export const DP_VARIANTS: readonly DpVariant[] = [null, { noiseMultiplier: 0.8 }, { noiseMultiplier: 1.0 }, { noiseMultiplier: 1.5 }, { noiseMultiplier: 2.0 }, { targetEpsilon: 2.5 }];
export const DP_DELTA = 1e-5;

export interface DpBenchOptions {
  readonly rounds: number;
  /** Rows per institution (every 7th of its share); 0 = each institution's whole share (the demo's split). */
  readonly rowsPerInstitution: number;
  readonly variants: readonly DpVariant[];
}

export interface DpBenchRun {
  /** null: no DP (plain local training, same settings). */
  readonly variant: DpVariant;
  /** Per institution: the z it trained with (the job's, or its own for a targetEpsilon). */
  readonly noiseMultiplier: Readonly<Record<string, number | null>>;
  /** Per institution: the ε it accounted for its own rows after the job (null without DP). */
  readonly epsilon: Readonly<Record<string, number | null>>;
  readonly sampleRate: Readonly<Record<string, number | null>>;
  readonly steps: Readonly<Record<string, number | null>>;
  /** The federated held-out AUC after each training round, and after the last. */
  readonly aucs: readonly (number | null)[];
  readonly finalAuc: number | null;
  readonly wallSeconds: number;
}

export type DpBenchResult =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'measured';
      readonly dataset: string;
      readonly rowsPerInstitution: Readonly<Record<string, number>>;
      readonly evaluationRows: number;
      readonly delta: number;
      readonly training: JobSpec['training'];
      readonly runs: readonly DpBenchRun[];
    };

/** The recipe of the NumPy check: batches of 256, C = 1, one local epoch per round, FedAvg. */
const TRAINING = { localEpochs: 1, batchSize: 256, learningRate: 0.01, optimizer: 'adam', seed: 42 } as const;

export interface DpData {
  readonly description: string;
  readonly features: FeatureSchema;
  readonly institutions: readonly { readonly id: string; readonly csv: string }[];
  readonly evaluationCsv: string;
}

function jobFor(data: DpData, rounds: number, variant: DpVariant, index: number): JobSpec {
  const ids = data.institutions.map((institution) => institution.id);
  return jobSpecSchema.parse({
    jobId: `bench-dp-${index}`,
    model: { kind: 'logistic-regression' },
    features: data.features,
    training: { rounds, ...TRAINING, ...(variant === null ? {} : { differentialPrivacy: { ...variant, clipNorm: 1, delta: DP_DELTA } }) },
    federation: { participants: ids, minParticipants: ids.length, roundDeadlineSeconds: 600, joinDeadlineSeconds: 120 },
    custody: { mode: 'none' },
  });
}

async function runFederation(job: JobSpec, data: DpData): Promise<{ aucs: (number | null)[]; outcomes: ParticipantOutcome[]; wallSeconds: number }> {
  const directory = await mkdtemp(join(tmpdir(), 'hefl-bench-dp-'));
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
            allowUnencryptedUpdates: true,
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
    if (report.status !== 'finished') throw new Error(`DP job ${job.jobId} ended ${report.status}: ${report.failure ?? ''}`);
    const aucs = report.rounds.filter((round) => round.kind === 'training').map((round) => round.heldOutAuc);
    const outcomes = settled.map((outcome) => (outcome as PromiseFulfilledResult<ParticipantOutcome>).value);
    return { aucs, outcomes, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export async function runDpTradeoff(data: DpData, options: DpBenchOptions, onProgress: (line: string) => void): Promise<Extract<DpBenchResult, { status: 'measured' }>> {
  const runs: DpBenchRun[] = [];
  for (const [index, variant] of options.variants.entries()) {
    onProgress(`dp: ${describeVariant(variant)}, ${options.rounds} rounds`);
    const job = jobFor(data, options.rounds, variant, index);
    const { aucs, outcomes, wallSeconds } = await runFederation(job, data);
    const per = <T>(pick: (outcome: ParticipantOutcome) => T | null): Record<string, T | null> =>
      Object.fromEntries(data.institutions.map(({ id }, at) => [id, outcomes[at] ? pick(outcomes[at] as ParticipantOutcome) : null]));
    runs.push({
      variant,
      noiseMultiplier: per((outcome) => outcome.privacy?.noiseMultiplier ?? null),
      epsilon: per((outcome) => outcome.privacy?.epsilon ?? null),
      sampleRate: per((outcome) => outcome.privacy?.sampleRate ?? null),
      steps: per((outcome) => outcome.privacy?.steps ?? null),
      aucs,
      finalAuc: aucs.at(-1) ?? null,
      wallSeconds,
    });
  }
  const rowCounts = await Promise.all(data.institutions.map(async ({ id, csv }) => [id, (await readCsvTable(csv)).rows.length] as const));
  return {
    status: 'measured',
    dataset: data.description,
    rowsPerInstitution: Object.fromEntries(rowCounts),
    evaluationRows: (await readCsvTable(data.evaluationCsv)).rows.length,
    delta: DP_DELTA,
    training: jobFor(data, options.rounds, { noiseMultiplier: 1 }, 0).training,
    runs,
  };
}

export async function measureDifferentialPrivacy(options: DpBenchOptions, onProgress: (line: string) => void): Promise<DpBenchResult> {
  if (!bankMarketingDataAvailable) return { status: 'skipped', reason: `bank-marketing data not found at ${bankMarketingDataPath}` };
  const directory = await mkdtemp(join(tmpdir(), 'hefl-bench-dp-data-'));
  try {
    const { files, testFile } = await writeInstitutionFiles(directory, options.rowsPerInstitution);
    const data: DpData = {
      description: "UCI Bank Marketing (bank-additional-full), the demo's split: 3 institutions by job, 20 % held out, duration dropped",
      features: bankMarketingFeatures,
      institutions: ['bank', 'ecommerce', 'government'].map((id) => ({ id, csv: files[id] as string })),
      evaluationCsv: testFile,
    };
    return await runDpTradeoff(data, options, onProgress);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export function describeVariant(variant: DpVariant): string {
  if (variant === null) return 'no DP';
  return 'noiseMultiplier' in variant ? `DP-SGD z = ${variant.noiseMultiplier}, C = 1` : `DP-SGD targetEpsilon ${variant.targetEpsilon} (z per node), C = 1`;
}
