import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bankMarketingDataAvailable, bankMarketingDataPath } from '../examples/bank-marketing/bank-marketing-data.js';
import { launchLocalFederation } from '../examples/local-federation/launch-local-federation.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { bankJob, writeBankSlices } from '../test/support/bank-slices.js';
import { DEFAULT_CKKS_PARAMETERS } from './ckks-throughput.js';
import { repeatRuns, timeSeconds, type Figure } from './figures.js';

export type BankJobResult =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'measured';
      readonly rowsPerInstitution: number;
      readonly modelParameters: number;
      /** keys init + 4 process starts + statistics round + 1 training round + shutdown. */
      readonly jobWallSeconds: Figure;
      /** The coordinator's own RoundSummary.seconds. */
      readonly statisticsRoundSeconds: Figure;
      /** Round start to every evaluation reported: includes local training (tfjs) and decryption on the participants. */
      readonly trainingRoundSeconds: Figure;
      readonly bytesReceived: Figure;
    };

const INSTITUTIONS = ['bank', 'ecommerce', 'government'] as const;

/**
 * A whole job — statistics round plus one training round — on bank-marketing slices, with the
 * coordinator and three participants as separate OS processes talking gRPC over 127.0.0.1
 * (`launchLocalFederation`, as `npm run demo` does).
 */
export async function measureBankJob(rowsPerInstitution: number, repeat: number, onProgress: (line: string) => void): Promise<BankJobResult> {
  if (!bankMarketingDataAvailable) return { status: 'skipped', reason: `bank-marketing data not found at ${bankMarketingDataPath}` };
  // Single-key custody with the default parameters, stated explicitly so the figures stay comparable
  // with the CKKS table whatever the job schema's default custody becomes.
  const job = jobSpecSchema.parse({
    ...bankJob({ jobId: 'bench-bank', training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 7 } }),
    custody: { mode: 'single-key' },
    ckks: DEFAULT_CKKS_PARAMETERS,
  });
  let modelParameters = 0;
  const figures = await repeatRuns(repeat, { wall: 's', statistics: 's', training: 's', bytes: 'bytes' }, async (run) => {
    onProgress(`bank job over gRPC (4 processes): run ${run + 1}/${repeat}`);
    const directory = await mkdtemp(join(tmpdir(), 'hefl-bench-bank-'));
    try {
      const slices = await writeBankSlices(join(directory, 'data'), rowsPerInstitution, 200);
      const timed = await timeSeconds(() =>
        launchLocalFederation({
          workDirectory: join(directory, 'federation'),
          job,
          nodes: INSTITUTIONS.map((participantId) => ({ participantId, dataCsv: slices.files[participantId], evaluationCsv: slices.testFile })),
          timeoutMs: 180_000,
        }),
      );
      const { report } = timed.result;
      if (report.status !== 'finished') throw new Error(`bank job ended ${report.status}: ${report.failure ?? ''} (logs in ${timed.result.logDirectory})`);
      const [statistics, training] = report.rounds;
      if (!statistics || !training) throw new Error(`bank job reported ${report.rounds.length} rounds, expected 2`);
      modelParameters = report.modelParameters;
      return { wall: timed.seconds, statistics: statistics.seconds, training: training.seconds, bytes: report.bytesReceived };
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
  return {
    status: 'measured',
    rowsPerInstitution,
    modelParameters,
    jobWallSeconds: figures.wall,
    statisticsRoundSeconds: figures.statistics,
    trainingRoundSeconds: figures.training,
    bytesReceived: figures.bytes,
  };
}
