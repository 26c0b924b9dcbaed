import type { BankJobResult } from './bank-job-end-to-end.js';
import type { CkksPaillierComparison } from './ckks-paillier-comparison.js';
import type { CkksThroughputResult } from './ckks-throughput.js';
import type { ConvergenceResult } from './convergence.js';
import type { CoordinatorMemoryResult } from './coordinator-memory.js';
import type { DpBenchResult } from './differential-privacy.js';
import type { SyntheticRoundResult } from './in-process-round.js';
import type { MachineInfo } from './machine-info.js';
import type { ParallelEncryptionResult } from './parallel-encryption.js';
import type { PaillierResult } from './paillier-comparison.js';
import type { ThresholdCostsResult } from './threshold-costs.js';
import type { TofnCostsResult } from './tofn-costs.js';
import type { VerticalBenchResult } from './vertical-section.js';

export const BENCH_REPORT_FORMAT = 'hefl-bench/1';

/** What `npm run bench` writes as JSON; a section is null when it was not selected with --only. */
export interface BenchReport {
  readonly format: typeof BENCH_REPORT_FORMAT;
  readonly createdAt: string;
  readonly mode: 'quick' | 'full';
  readonly repeat: number;
  readonly wallSeconds: number;
  readonly machine: MachineInfo;
  readonly ckks: CkksThroughputResult | null;
  /** CkksWorkerPool (worker threads) vs one thread, and vs native single-core SEAL. */
  readonly parallelEncryption: ParallelEncryptionResult | null;
  readonly paillier: PaillierResult | null;
  readonly ckksVersusPaillier: CkksPaillierComparison | null;
  readonly bankJob: BankJobResult | null;
  /** The bank job at about 1M parameters, threshold vs none, with per-stage times (issue #19). */
  readonly bankJobLarge: BankJobResult | null;
  readonly syntheticRound: SyntheticRoundResult | null;
  readonly coordinatorMemory: CoordinatorMemoryResult | null;
  readonly threshold: ThresholdCostsResult | null;
  /** t-of-N custody: resharing bytes and seconds for N = 3, 5, 10; per-round decryption bytes (scale with t). */
  readonly tofn?: TofnCostsResult | null;
  /** PSI at 3 × 100k and bank-marketing sizes; the vertical job, threshold CKKS vs custody none. */
  readonly vertical: VerticalBenchResult | null;
  /** Rounds each server optimizer (and FedProx) needs to come within 0.002 AUC of the centralized model, bank data. */
  readonly convergence: ConvergenceResult | null;
  /** Held-out AUC against each institution's ε with record-level DP-SGD, bank data (absent in older reports). */
  readonly differentialPrivacy?: DpBenchResult | null;
}
