import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobReport } from '../coordinator/coordinator.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { launchLocalFederation } from '../examples/local-federation/launch-local-federation.js';
import type { ParticipantConfig } from '../participant/participant-config.js';
import { DEFAULT_PRIVACY_POLICY } from '../participant/privacy-policy.js';
import { initFederationKeys, type InitializedKeyFolders } from '../protocols/keys/init-federation-keys.js';
import { flattenWeights } from '../participant/model/flatten-weights.js';
import { initializeTfBackend } from '../participant/model/initialize-tf-backend.js';
import { loadModel } from '../participant/model/load-model.js';
import { bankJob, writeBankSlices, type BankSlices } from './support/bank-slices.js';
import { HEFL_BIN } from './support/run-hefl.js';
import { freePort } from './support/free-port.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const IDS = ['bank', 'ecommerce', 'government'] as const;
const job = bankJob({
  jobId: 'crash-resume',
  // A server optimizer with state (m, v): a restarted participant must continue with the one it saved.
  training: { rounds: 4, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 21, serverOptimizer: { kind: 'fedadam', learningRate: 0.05, tau: 1e-3 } },
  federation: { participants: [...IDS], minParticipants: 3, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
});
let directory: string;
let slices: BankSlices;
let reference: Float32Array;
const children = new Set<ChildProcess>();

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (directory) await rm(directory, { recursive: true, force: true });
});


/** Per `hefl` process: its exit code once it has exited and its log file is complete and closed. */
const finished = new WeakMap<ChildProcess, Promise<number | null>>();

function exitOf(child: ChildProcess): Promise<number | null> {
  return finished.get(child) ?? Promise.reject(new Error('not started by hefl()'));
}

/** `hefl ARGS` as its own process; `onLine` sees every stdout and stderr line. */
function hefl(args: readonly string[], log: string, onLine: (line: string) => void = () => undefined): ChildProcess {
  const child = spawn(process.execPath, [HEFL_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const file = createWriteStream(log, { flags: 'a' });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8').on('data', (text: string) => {
      file.write(text);
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }
  // 'close' comes after the last output; the log is read only once it is closed too.
  finished.set(
    child,
    new Promise((resolve) => {
      child.once('close', (code: number | null) => {
        file.once('close', () => resolve(code));
        file.end();
      });
    }),
  );
  return child;
}

async function finalWeights(modelDirectory: string): Promise<Float32Array> {
  await initializeTfBackend();
  const model = await loadModel(modelDirectory);
  try {
    return flattenWeights(model);
  } finally {
    model.dispose();
  }
}

/** One SIGKILL in a run: whom, on which line of the coordinator's output, and what changes before the restart. */
interface Crash {
  readonly victim: 'coordinator' | 'bank';
  readonly killWhen: (line: string) => boolean;
  /** Between the kill and the restart (the job's folder): e.g. take the victim's saved state away. */
  readonly beforeRestart?: (work: string) => Promise<void>;
}

/**
 * Runs the job with `hefl` processes and, for each crash in turn, kills the coordinator or bank's node
 * with SIGKILL when a line of the (current) coordinator's output matches, then starts it again: the
 * coordinator with the same command line (--resume auto) on the same port, a participant with the same
 * config (its saved state). Several crashes share one job, so each recovery also starts from a job that
 * already recovered once.
 */
async function runWithCrashes(
  name: string,
  crashes: readonly Crash[],
): Promise<{ report: JobReport; weights: Float32Array[]; exits: (number | null)[]; logs: string; savedRounds: number[] }> {
  const work = join(directory, name);
  const logs = join(work, 'logs');
  await mkdir(logs, { recursive: true });
  const jobFile = join(work, 'job.json');
  await writeFile(jobFile, JSON.stringify(job));
  const keys: InitializedKeyFolders = await initFederationKeys(job, join(work, 'keys'));
  const port = await freePort();
  const stateFile = join(work, `${job.jobId}.coordinator-state.json`); // the default, beside the job file
  const reportFile = join(work, 'report.json');
  // One command line for every start, as a supervisor (systemd) runs it: --resume auto starts the job
  // when there is no state file yet and resumes it from the state after the crash.
  const coordinatorArgs = ['coordinator', '--job', jobFile, '--keys', keys.coordinator, '--port', String(port), '--report', reportFile, '--ledger', join(work, 'ingress.jsonl'), '--resume', 'auto'];

  let next = 0;
  // A crash is watched for only once the previous victim was started again.
  let armed = 0;
  let signalCrash: () => void = () => undefined;
  let crashed = new Promise<void>((resolve) => (signalCrash = resolve));
  const current: { coordinator?: ChildProcess; bank?: ChildProcess } = {};
  const watchCoordinator = (line: string): void => {
    const crash = crashes[next];
    if (next !== armed || !crash || !crash.killWhen(line)) return;
    next += 1;
    current[crash.victim]?.kill('SIGKILL');
    signalCrash();
  };
  current.coordinator = hefl(coordinatorArgs, join(logs, 'coordinator-1.log'), watchCoordinator);
  const participants = IDS.map((id) => {
    const config: ParticipantConfig = {
      participantId: id,
      jobId: job.jobId,
      coordinator: `127.0.0.1:${port}`,
      dataCsv: relative(work, slices.files[id]),
      ...(id === 'bank' ? { evaluationCsv: relative(work, slices.testFile) } : {}),
      keysDir: relative(work, keys.participants[id] as string),
      outputDir: join('outputs', id),
      keepPayloads: false,
      allowUnencryptedUpdates: false,
      privacy: DEFAULT_PRIVACY_POLICY,
      keepSecretShare: false,
      compareWithLocalOnly: false,
      allowPlaintextTransport: false,
      connectTimeoutSeconds: scaledSeconds(30),
      reconnectSeconds: scaledSeconds(60),
    };
    const configFile = join(work, `${id}.json`);
    return writeFile(configFile, JSON.stringify(config)).then(() => hefl(['participant', '--config', configFile], join(logs, `${id}.log`)));
  });
  const started = await Promise.all(participants);
  current.bank = started[0];
  const others = started.slice(1);
  const savedRounds: number[] = [];
  for (const [index, crash] of crashes.entries()) {
    await crashed;
    crashed = new Promise<void>((resolve) => (signalCrash = resolve));
    expect(await exitOf(current[crash.victim] as ChildProcess)).toBeNull(); // killed by SIGKILL, no exit code
    savedRounds.push((JSON.parse(await readFile(stateFile, 'utf8')) as { lastCompletedRound: number }).lastCompletedRound);
    await crash.beforeRestart?.(work);
    const restart = `${crash.victim}-${index + 2}.log`;
    current[crash.victim] =
      crash.victim === 'coordinator'
        ? hefl(coordinatorArgs, join(logs, restart), watchCoordinator)
        : hefl(['participant', '--config', join(work, 'bank.json')], join(logs, restart));
    armed = index + 1;
  }
  const exits = await Promise.all([current.coordinator, current.bank, ...others].map((child) => exitOf(child as ChildProcess)));
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as JobReport;
  const weights = await Promise.all(IDS.map((id) => finalWeights(join(work, 'outputs', id, 'model'))));
  expect(report.rounds.length).toBeGreaterThan(Math.max(...savedRounds));
  return { report, weights, exits, logs, savedRounds };
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, value, index) => Math.max(max, Math.abs(value - (b[index] as number))), 0);
}

describe.skipIf(!bankMarketingDataAvailable)('SIGKILL and restart: the coordinator (--resume auto, one command line) and a participant (its saved state)', () => {
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-crash-'));
    slices = await writeBankSlices(join(directory, 'data'), 300, 100);
    // The same job, seeds and data without a crash: what the resumed runs must reproduce.
    const uninterrupted = await launchLocalFederation({
      workDirectory: join(directory, 'uninterrupted'),
      job,
      nodes: IDS.map((id) => ({ participantId: id, dataCsv: slices.files[id], ...(id === 'bank' ? { evaluationCsv: slices.testFile } : {}) })),
      timeoutMs: scaledMs(120_000),
    });
    expect(uninterrupted.report.status).toBe('finished');
    reference = await finalWeights(join(uninterrupted.outputDirectories.bank as string, 'model'));
  }, scaledMs(150_000));

  // Four crashes in two jobs (each recovery is then also tested on a job that already recovered once).
  it('the coordinator between rounds, then a participant mid-round: the participants rejoin, the bank restores its saved state, no completed round is lost, the final model is the uninterrupted one', async () => {
    const run = await runWithCrashes('between-rounds-then-participant', [
      // Right after round 1's row is printed, i.e. after its state was saved.
      { victim: 'coordinator', killWhen: (line) => /^\s+1\s+training\s+3\s/.test(line) },
      // bank dies as soon as another node's round-3 update is in: its own may be half sent.
      { victim: 'bank', killWhen: (line) => line.includes('encrypted update added to the aggregate') && line.includes('"round":3') },
    ]);
    expect(run.savedRounds[0]).toBe(1);
    expect(run.exits).toEqual([0, 0, 0, 0]);
    expect(run.report.status).toBe('finished');
    expect(run.report.rounds.map((round) => round.round)).toEqual([0, 1, 2, 3, 4]);
    for (const weights of run.weights) expect(maxDifference(weights, reference)).toBeLessThan(1e-5);
    expect(await readFile(join(run.logs, 'bank.log'), 'utf8')).toMatch(/coordinator lost; rejoining/);
    expect(await readFile(join(run.logs, 'bank-3.log'), 'utf8')).toMatch(/restored this node's saved state; rejoining the job/);
  }, scaledMs(200_000));

  // Not the other order: a coordinator resumed from its state file no longer holds the key setup's signed
  // values or the published aggregates, so a node without saved state cannot catch up there (it is told so).
  it('a participant without its saved state (refused without its key share, and with it catches up), then the coordinator in the middle of a round (that round runs again): the job ends with the uninterrupted model', async () => {
    let refused = '';
    const run = await runWithCrashes('catch-up-then-mid-round', [
      {
        victim: 'bank',
        // Right after round 2's row is printed, i.e. after its state was saved.
        killWhen: (line) => /^\s+2\s+training\s+3\s/.test(line),
        beforeRestart: async (work) => {
          const state = join(work, 'outputs', 'bank', 'state');
          const share = join(state, 'secret-share.key');
          const away = join(work, 'secret-share.key.away');
          // Its model and standardization are gone; its secret key share (and decryption guard) stay.
          await rm(join(state, 'participant-state.json'));
          // First without the share as well: the coordinator refuses it, saying what is missing.
          await rename(share, away);
          const log = join(work, 'logs', 'bank-without-share.log');
          expect(await exitOf(hefl(['participant', '--config', join(work, 'bank.json')], log))).not.toBe(0);
          refused = await readFile(log, 'utf8');
          await rename(away, share);
        },
      },
      // As soon as the first encrypted update of round 3 is in the aggregate (round 3 in flight).
      { victim: 'coordinator', killWhen: (line) => line.includes('encrypted update added to the aggregate') && line.includes('"round":3') },
    ]);
    expect(run.savedRounds).toEqual([2, 2]);
    expect(refused).toMatch(/this node has neither: under threshold custody its secret key share \(outputDir\/state\/secret-share\.key\) is missing/);
    expect(run.exits).toEqual([0, 0, 0, 0]);
    expect(run.report.rounds.map((round) => round.round)).toEqual([0, 1, 2, 3, 4]);
    for (const round of run.report.rounds) expect([...round.contributors].sort()).toEqual([...IDS].sort());
    for (const weights of run.weights) expect(maxDifference(weights, reference)).toBeLessThan(1e-5);
    const restarted = await readFile(join(run.logs, 'bank-2.log'), 'utf8');
    expect(restarted).toMatch(/no saved state: catching up on the aggregates of the completed rounds/);
    expect(restarted).toMatch(/collective public key rebuilt from the signed key-setup values/);
    expect(restarted).toMatch(/coordinator lost; rejoining/);
  }, scaledMs(200_000));
});
