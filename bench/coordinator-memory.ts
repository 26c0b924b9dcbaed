import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, type CoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { figure, type Figure } from './figures.js';
import { firstRoundSeconds, prepareUpdates } from './load-generator.js';
import { writePreparedUpdates } from './prepared-updates-file.js';
import { parseRssProbeLine, type RssProbeMessage } from './rss-probe-protocol.js';
import { syntheticJob, syntheticJobSizes } from './synthetic-job.js';

const PROBE = fileURLToPath(new URL('./coordinator-rss-probe.ts', import.meta.url));
const PARTICIPANT = fileURLToPath(new URL('./load-participant-process.ts', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

export type CoordinatorMemoryCase =
  | {
      readonly status: 'measured';
      readonly participants: number;
      /** RSS once the coordinator process is listening, before any participant joins. */
      readonly startupRssBytes: Figure;
      /** The probe's own peak RSS (VmHWM on Linux) when the job completed. */
      readonly peakRssBytes: Figure;
      /** Peak minus the peak at startup: what the rounds themselves added. */
      readonly peakGrowthBytes: Figure;
      /** process.resourceUsage().maxRSS at the end; on Linux it includes the spawning process's RSS at fork. */
      readonly maxRssBytes: Figure;
      /** Client-observed training round-started → aggregate-ready (first arrivals across the participant processes). */
      readonly trainingRoundSeconds: Figure;
      /** One participant's encrypted update: the sum of its ciphertext sizes. */
      readonly encryptedModelBytes: number;
      /** The target (issue #5): startup RSS + a fixed base + 3 × one encrypted model, whatever the number of participants. */
      readonly peakBoundBytes: number;
      /** Median peak RSS within that bound. */
      readonly withinBound: boolean;
    }
  | { readonly status: 'capped'; readonly participants: number; readonly limitSeconds: number; readonly reason: string };

/**
 * The fixed base of a running job over the coordinator's RSS at start: gRPC/HTTP2 stream windows and
 * SEAL's heap high-water mark. Measured growth is about 2 × one encrypted model + 33–44 MiB at both
 * 77 MiB (one value per slot) and 39 MiB (two per slot) models, 3 to 20 participants; 64 MiB leaves margin.
 */
export const RUNNING_JOB_BASE_BYTES = 64 * 2 ** 20;

export interface CoordinatorMemoryResult {
  readonly parameterCount: number;
  readonly cases: readonly CoordinatorMemoryCase[];
}

interface ProbeRun {
  readonly startupRssBytes: number;
  readonly startupPeakRssBytes: number;
  readonly peakRssBytes: number;
  readonly maxRssBytes: number;
  readonly trainingRoundSeconds: number;
}

/**
 * Every participant of the job as its own OS process, each streaming the pre-encrypted update read
 * from `updatesFile`; resolves with the training round's duration as the participants saw it.
 */
async function runParticipantProcesses(address: string, jobFile: string, job: JobSpec, keys: CoordinatorKeys, updatesFile: string): Promise<{ trainingRoundSeconds: number }> {
  const runs = job.federation.participants.map(
    (participantId) =>
      new Promise<{ roundStartedAt?: number; aggregateAt?: number }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', PARTICIPANT, address, jobFile, updatesFile, participantId, keys.manifest.keyFingerprint], {
          cwd: REPOSITORY_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
        child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2_000)));
        // 'close', not 'exit': the timings line may still be in the stdout pipe when the process exits.
        child.once('close', (code) => {
          if (code !== 0) return reject(new Error(`load participant ${participantId} exited with ${code}: ${stderr.trim()}`));
          try {
            resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { roundStartedAt?: number; aggregateAt?: number });
          } catch {
            reject(new Error(`load participant ${participantId} printed no timings`));
          }
        });
      }),
  );
  return { trainingRoundSeconds: firstRoundSeconds(await Promise.all(runs)) };
}

/** Starts the probe, drives its job with one participant process per participant, and returns its memory figures; kills it at `limitMs`. */
async function runProbe(jobFile: string, job: JobSpec, keysFolder: string, keys: CoordinatorKeys, updatesFile: string, limitMs: number): Promise<ProbeRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE, '--job', jobFile, '--keys', keysFolder, '--timeout-ms', String(limitMs)], {
    cwd: REPOSITORY_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), limitMs + 10_000);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const messages = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async (): Promise<RssProbeMessage> => {
      for (;;) {
        const line = await messages.next();
        if (line.done) throw new Error(`the RSS probe exited (code ${await exited}) without reporting: ${stderr.trim()}`);
        const message = parseRssProbeLine(line.value);
        if (message) return message;
      }
    };
    const listening = await next();
    if (listening.type !== 'listening') throw new Error('the RSS probe finished before listening');
    const timings = await runParticipantProcesses(listening.address, jobFile, job, keys, updatesFile);
    const finished = await next();
    if (finished.type !== 'finished' || finished.status !== 'finished') {
      throw new Error(`the RSS probe's job did not finish: ${finished.type === 'finished' ? (finished.failure ?? finished.status) : 'no report'}`);
    }
    await exited;
    return {
      startupRssBytes: listening.rssBytes,
      startupPeakRssBytes: listening.peakRssBytes,
      peakRssBytes: finished.peakRssBytes,
      maxRssBytes: finished.maxRssBytes,
      trainingRoundSeconds: timings.trainingRoundSeconds,
    };
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/**
 * Coordinator peak RSS for a P-parameter round with each participant count: the coordinator runs in
 * its own child process (`coordinator-rss-probe.ts`); every participant is its own OS process too
 * (`load-participant-process.ts`), all streaming the same update, encrypted once here and handed over
 * in a temp file. A run past `limitSeconds` is killed and the case reported as capped.
 */
export async function measureCoordinatorMemory(
  targetParameters: number,
  participantCounts: readonly number[],
  repeat: number,
  limitSeconds: number,
  onProgress: (line: string) => void,
): Promise<CoordinatorMemoryResult> {
  const cases: CoordinatorMemoryCase[] = [];
  let parameterCount = 0;
  for (const participants of participantCounts) {
    const job = syntheticJob(targetParameters, participants, `bench-rss-${participants}`, limitSeconds);
    parameterCount = syntheticJobSizes(job).modelParameters;
    const directory = await mkdtemp(join(tmpdir(), 'hefl-bench-rss-'));
    try {
      const jobFile = join(directory, 'job.json');
      await writeFile(jobFile, JSON.stringify(job));
      const folders = await initFederationKeys(job, join(directory, 'keys'));
      const keys = await readCoordinatorKeys(folders.coordinator);
      onProgress(`coordinator RSS: encrypting one ${parameterCount}-parameter update for ${participants} load generators`);
      const updates = await prepareUpdates(job, keys);
      const updatesFile = join(directory, 'updates.bin');
      await writePreparedUpdates(updatesFile, updates);
      const encryptedModelBytes = updates.training.reduce((total, chunk) => total + chunk.byteLength, 0);
      const runs: ProbeRun[] = [];
      let capped: string | undefined;
      for (let run = 0; run < repeat && !capped; run += 1) {
        onProgress(`coordinator RSS: ${participants} participants × ${parameterCount} parameters, run ${run + 1}/${repeat} (limit ${limitSeconds} s)`);
        const started = performance.now();
        try {
          runs.push(await runProbe(jobFile, job, folders.coordinator, keys, updatesFile, limitSeconds * 1000));
        } catch (error) {
          const elapsed = (performance.now() - started) / 1000;
          if (elapsed < limitSeconds) throw error;
          capped = `did not finish within ${limitSeconds} s (${error instanceof Error ? error.message : String(error)})`;
        }
      }
      if (capped || runs.length === 0) {
        cases.push({ status: 'capped', participants, limitSeconds, reason: capped ?? 'no run completed' });
        continue;
      }
      const startupRssBytes = figure('bytes', runs.map((run) => run.startupRssBytes));
      const peakRssBytes = figure('bytes', runs.map((run) => run.peakRssBytes));
      const peakBoundBytes = startupRssBytes.median + RUNNING_JOB_BASE_BYTES + 3 * encryptedModelBytes;
      cases.push({
        status: 'measured',
        participants,
        startupRssBytes,
        peakRssBytes,
        encryptedModelBytes,
        peakBoundBytes,
        withinBound: peakRssBytes.median <= peakBoundBytes,
        peakGrowthBytes: figure('bytes', runs.map((run) => run.peakRssBytes - run.startupPeakRssBytes)),
        maxRssBytes: figure('bytes', runs.map((run) => run.maxRssBytes)),
        trainingRoundSeconds: figure('s', runs.map((run) => run.trainingRoundSeconds)),
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }
  return { parameterCount, cases };
}
