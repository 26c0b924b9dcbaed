/**
 * The `vertical` section: private set intersection at the acceptance size and at the bank-marketing
 * sizes, and the vertical bank-marketing job as processes under threshold CKKS and with encryption off
 * (custody none), epoch by epoch.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bankMarketingDataAvailable, bankMarketingDataPath } from '../examples/bank-marketing/bank-marketing-data.js';
import type { VerticalPartyId } from '../examples/bank-marketing-vertical/split-vertical-parties.js';
import type { PsiSettings } from '../protocols/psi/index.js';
import { figure, ratioFigure, type Figure } from './figures.js';
import { runPsiOnce, syntheticPartyIds, type PsiRunInput } from './psi-run.js';
import { VERTICAL_PARTIES, writeVerticalBenchData, type VerticalBenchData } from './vertical-data.js';
import { runVerticalJob, verticalBenchJob, type VerticalCustody, type VerticalJobSample } from './vertical-job-run.js';

/** The PSI acceptance target: 3 × 100,000 ids on one machine. */
export const PSI_TARGET_SECONDS = 60;
export const PSI_TARGET_IDS = 100_000;

export interface VerticalBenchOptions {
  /** Ids per party of the synthetic PSI case (~70 % shared, padTo 1.1 × this). */
  readonly psiIds: number;
  /** Rows of the bank-marketing table used (0 = all 41,188, as the demo). */
  readonly maxCustomers: number;
  readonly epochs: number;
}

export interface PsiCaseResult {
  readonly status: 'measured';
  readonly name: string;
  readonly idsPerParty: Readonly<Record<string, number>>;
  readonly padTo: number | null;
  readonly workersPerParty: number;
  readonly intersectionSize: number;
  /** Pools started + whole protocol + alignment, wall. */
  readonly totalSeconds: Figure;
  readonly poolStartSeconds: Figure;
  /** 'own lists', 'hop 1', 'hop 2', 'intersection', 'alignment'. */
  readonly phaseSeconds: Readonly<Record<string, Figure>>;
  readonly bytesSentPerParty: Readonly<Record<string, number>>;
  readonly coordinatorBytesSent: number;
  /** Only for 3 × 100,000 ids: total ≤ PSI_TARGET_SECONDS (median). */
  readonly withinTarget: boolean | null;
}

export interface VerticalCustodyResult {
  readonly custody: VerticalCustody;
  /** Every epoch of every run: PSI end or previous epoch end → 'epoch finished' at the coordinator. */
  readonly epochSeconds: Figure;
  readonly coordinatorBytesPerEpoch: Figure;
  readonly coordinatorBytesReceivedPerEpoch: Figure;
  readonly coordinatorBytesSentPerEpoch: Figure;
  readonly partyEgressBytesPerEpoch: Readonly<Record<VerticalPartyId, Figure>>;
  readonly allPartiesEgressBytesPerEpoch: Figure;
  readonly setupSeconds: Figure;
  readonly jobSeconds: Figure;
  readonly coordinatorBytesPerJob: Figure;
  readonly finalValidationAuc: Figure;
}

export type VerticalTrainingResult =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'measured';
      readonly customers: number;
      readonly intersectionSize: number;
      readonly epochs: number;
      readonly batchSize: number;
      readonly threshold: VerticalCustodyResult;
      readonly none: VerticalCustodyResult;
      readonly secondsThresholdOverNone: Figure;
      readonly coordinatorBytesThresholdOverNone: Figure;
      readonly partyEgressThresholdOverNone: Figure;
    };

export interface VerticalBenchResult {
  readonly psi: PsiCaseResult;
  readonly psiBankMarketing: PsiCaseResult | { readonly status: 'skipped'; readonly reason: string };
  readonly training: VerticalTrainingResult;
}

const NORMALISATION: PsiSettings['normalisation'] = { trim: true, caseFold: false, removeCharacters: '', digitsOnly: false };

async function measurePsiCase(name: string, input: PsiRunInput, repeat: number, targeted: boolean): Promise<PsiCaseResult> {
  const total: number[] = [];
  const pools: number[] = [];
  const phases = new Map<string, number[]>();
  let last: Awaited<ReturnType<typeof runPsiOnce>> | undefined;
  for (let run = 0; run < repeat; run += 1) {
    last = await runPsiOnce(input);
    total.push(last.totalSeconds);
    pools.push(last.poolStartSeconds);
    for (const [phase, seconds] of last.phaseSeconds) phases.set(phase, [...(phases.get(phase) ?? []), seconds]);
  }
  if (!last) throw new Error('no PSI run');
  const sizes = new Set(last.intersectionSizes);
  if (sizes.size !== 1) throw new Error(`${name}: the parties found different intersections (${last.intersectionSizes.join(' / ')})`);
  const totalSeconds = figure('s', total);
  return {
    status: 'measured',
    name,
    idsPerParty: Object.fromEntries([...input.parties].map(([party, ids]) => [party, ids.length])),
    padTo: input.settings.padTo ?? null,
    workersPerParty: last.workersPerParty,
    intersectionSize: last.intersectionSizes[0] as number,
    totalSeconds,
    poolStartSeconds: figure('s', pools),
    phaseSeconds: Object.fromEntries([...phases].map(([phase, seconds]) => [phase, figure('s', seconds)])),
    bytesSentPerParty: Object.fromEntries(last.bytesSent),
    coordinatorBytesSent: last.coordinatorBytesSent,
    withinTarget: targeted ? totalSeconds.median <= PSI_TARGET_SECONDS : null,
  };
}

function syntheticPsiInput(count: number): PsiRunInput {
  return {
    parties: new Map(VERTICAL_PARTIES.map((party, index) => [party, syntheticPartyIds(count, index)])),
    settings: { normalisation: NORMALISATION, padTo: Math.round(count * 1.1) },
  };
}

function custodyResult(custody: VerticalCustody, samples: readonly VerticalJobSample[]): VerticalCustodyResult {
  const epochs = samples.flatMap((sample) => sample.epochs);
  const perEpoch = (unit: string, pick: (epoch: (typeof epochs)[number]) => number): Figure => figure(unit, epochs.map(pick));
  const perJob = (unit: string, pick: (sample: VerticalJobSample) => number): Figure => figure(unit, samples.map(pick));
  return {
    custody,
    epochSeconds: perEpoch('s', (epoch) => epoch.seconds),
    coordinatorBytesPerEpoch: perEpoch('bytes', (epoch) => epoch.coordinatorBytesReceived + epoch.coordinatorBytesSent),
    coordinatorBytesReceivedPerEpoch: perEpoch('bytes', (epoch) => epoch.coordinatorBytesReceived),
    coordinatorBytesSentPerEpoch: perEpoch('bytes', (epoch) => epoch.coordinatorBytesSent),
    partyEgressBytesPerEpoch: Object.fromEntries(VERTICAL_PARTIES.map((party) => [party, perEpoch('bytes', (epoch) => epoch.partyEgressBytes[party])])) as Record<VerticalPartyId, Figure>,
    allPartiesEgressBytesPerEpoch: perEpoch('bytes', (epoch) => VERTICAL_PARTIES.reduce((sum, party) => sum + epoch.partyEgressBytes[party], 0)),
    setupSeconds: perJob('s', (sample) => sample.setupSeconds),
    jobSeconds: perJob('s', (sample) => sample.jobSeconds),
    coordinatorBytesPerJob: perJob('bytes', (sample) => sample.coordinatorBytesTotal),
    finalValidationAuc: perJob('auc', (sample) => sample.finalValidationAuc),
  };
}

async function measureTraining(data: VerticalBenchData, options: VerticalBenchOptions, directory: string, repeat: number, onProgress: (line: string) => void): Promise<VerticalTrainingResult> {
  const samples: Record<VerticalCustody, VerticalJobSample[]> = { threshold: [], none: [] };
  for (let run = 0; run < repeat; run += 1) {
    for (const custody of ['threshold', 'none'] as const) {
      onProgress(`vertical job over gRPC (4 processes), custody ${custody}, ${options.epochs} epochs: run ${run + 1}/${repeat}`);
      const work = join(directory, `${custody}-${run}`);
      samples[custody].push(await runVerticalJob(work, data, custody, options.epochs));
      await rm(work, { recursive: true, force: true });
    }
  }
  const threshold = custodyResult('threshold', samples.threshold);
  const none = custodyResult('none', samples.none);
  return {
    status: 'measured',
    customers: Math.max(...[...data.ids.values()].map((ids) => ids.length)),
    intersectionSize: samples.threshold[0]?.intersectionSize ?? 0,
    epochs: options.epochs,
    batchSize: verticalBenchJob('threshold', options.epochs).training.batchSize,
    threshold,
    none,
    secondsThresholdOverNone: ratioFigure(threshold.epochSeconds, none.epochSeconds),
    coordinatorBytesThresholdOverNone: ratioFigure(threshold.coordinatorBytesPerEpoch, none.coordinatorBytesPerEpoch),
    partyEgressThresholdOverNone: ratioFigure(threshold.allPartiesEgressBytesPerEpoch, none.allPartiesEgressBytesPerEpoch),
  };
}

export async function measureVertical(options: VerticalBenchOptions, repeat: number, onProgress: (line: string) => void): Promise<VerticalBenchResult> {
  onProgress(`PSI: 3 parties × ${options.psiIds.toLocaleString('en-US')} ids in one process, ${repeat} run(s)`);
  const psi = await measurePsiCase(`3 × ${options.psiIds.toLocaleString('en-US')} synthetic ids, ~70 % shared`, syntheticPsiInput(options.psiIds), repeat, options.psiIds === PSI_TARGET_IDS);
  if (!bankMarketingDataAvailable) {
    const reason = `bank-marketing data not found at ${bankMarketingDataPath}`;
    return { psi, psiBankMarketing: { status: 'skipped', reason }, training: { status: 'skipped', reason } };
  }
  const directory = await mkdtemp(join(tmpdir(), 'hefl-bench-vertical-'));
  const data = await writeVerticalBenchData(join(directory, 'data'), options.maxCustomers);
  onProgress(`PSI: the bank-marketing parties' customer ids (${[...data.ids.values()].map((ids) => ids.length).join(' / ')}), ${repeat} run(s)`);
  const psiBankMarketing = await measurePsiCase('bank-marketing vertical split (the demo job, no padTo)', { parties: data.ids, settings: verticalBenchJob('none', 1).psi }, repeat, false);
  const training = await measureTraining(data, options, directory, repeat, onProgress);
  // Kept on failure (the exception skips this): the logs and ledgers are the way to see why.
  await rm(directory, { recursive: true, force: true });
  return { psi, psiBankMarketing, training };
}
