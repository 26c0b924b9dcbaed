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

/**
 * Runs the job with `hefl` processes and kills one of them (the coordinator, or bank's node) with
 * SIGKILL when `killWhen` sees a line of the coordinator's output, then starts it again: the
 * coordinator with the same command line (--resume auto) on the same port, a participant with the same config (its saved state).
 */
async function runWithCrash(
  name: string,
  victim: 'coordinator' | 'bank',
  killWhen: (line: string) => boolean,
  /** Between the kill and the restart (the job's folder): e.g. take the victim's saved state away. */
  beforeRestart: (work: string) => Promise<void> = async () => undefined,
): Promise<{ report: JobReport; weights: Float32Array[]; exits: (number | null)[]; logs: string }> {
  const work = join(directory, name);
  const logs = join(work, 'logs');
  await mkdir(logs, { recursive: true });
  const jobFile = join(work, 'job.json');
  await writeFile(jobFile, JSON.stringify(job));
  const keys: InitializedKeyFolders = await initFederationKeys(job, join(work, 'keys'));
  const port = await freePort();
  const stateFile = join(work, `${job.jobId}.coordinator-state.json`); // the default, beside the job file
  const reportFile = join(work, 'report.json');
  // One command line for both starts, as a supervisor (systemd) runs it: --resume auto starts the job
  // when there is no state file yet and resumes it from the state after the crash.
  const coordinatorArgs = ['coordinator', '--job', jobFile, '--keys', keys.coordinator, '--port', String(port), '--report', reportFile, '--ledger', join(work, 'ingress.jsonl'), '--resume', 'auto'];

  let killed = false;
  let victimProcess: ChildProcess | undefined;
  let signalCrash: () => void = () => undefined;
  const crashed = new Promise<void>((resolve) => (signalCrash = resolve));
  const coordinator = hefl(coordinatorArgs, join(logs, 'coordinator-1.log'), (line) => {
    if (!killed && killWhen(line)) {
      killed = true;
      victimProcess?.kill('SIGKILL');
      signalCrash();
    }
  });
  if (victim === 'coordinator') victimProcess = coordinator;
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
  if (victim === 'bank') victimProcess = started[0];
  await crashed;
  expect(await exitOf(victimProcess as ChildProcess)).toBeNull(); // killed by SIGKILL, no exit code
  const saved = JSON.parse(await readFile(stateFile, 'utf8')) as { lastCompletedRound: number };
  await beforeRestart(work);
  let exits: (number | null)[];
  if (victim === 'coordinator') {
    const resumed = hefl(coordinatorArgs, join(logs, 'coordinator-2.log'));
    exits = await Promise.all([exitOf(resumed), ...started.map(exitOf)]);
  } else {
    const restarted = hefl(['participant', '--config', join(work, 'bank.json')], join(logs, 'bank-2.log'));
    exits = await Promise.all([exitOf(coordinator), exitOf(restarted), ...started.slice(1).map(exitOf)]);
  }
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as JobReport;
  const weights = await Promise.all(IDS.map((id) => finalWeights(join(work, 'outputs', id, 'model'))));
  expect(report.rounds.length).toBeGreaterThan(saved.lastCompletedRound);
  return { report, weights, exits, logs };
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

  it('between rounds: the participants rejoin, no completed round is lost, the final model is the uninterrupted one', async () => {
    // Killed right after round 2's row is printed, i.e. after its state was saved.
    const run = await runWithCrash('between-rounds', 'coordinator', (line) => /^\s+2\s+training\s+3\s/.test(line));
    expect(run.exits).toEqual([0, 0, 0, 0]);
    expect(run.report.status).toBe('finished');
    expect(run.report.rounds.map((round) => round.round)).toEqual([0, 1, 2, 3, 4]);
    for (const weights of run.weights) expect(maxDifference(weights, reference)).toBeLessThan(1e-5);
    expect(await readFile(join(run.logs, 'bank.log'), 'utf8')).toMatch(/coordinator lost; rejoining/);
  }, scaledMs(150_000));

  it('in the middle of a round: that round runs again, and the final model is still the uninterrupted one', async () => {
    // Killed as soon as the first encrypted update of round 3 is in the aggregate (round 3 in flight).
    const run = await runWithCrash('mid-round', 'coordinator', (line) => line.includes('encrypted update added to the aggregate') && line.includes('"round":3'));
    expect(run.exits).toEqual([0, 0, 0, 0]);
    expect(run.report.rounds.map((round) => round.round)).toEqual([0, 1, 2, 3, 4]);
    for (const weights of run.weights) expect(maxDifference(weights, reference)).toBeLessThan(1e-5);
  }, scaledMs(150_000));

  it('a participant killed in the middle of a round restarts, rejoins with its saved state, and the job ends with the uninterrupted model', async () => {
    // bank dies as soon as another node's round-2 update is in: its own may be half sent.
    const run = await runWithCrash('participant-restart', 'bank', (line) => line.includes('encrypted update added to the aggregate') && line.includes('"round":2'));
    expect(run.exits).toEqual([0, 0, 0, 0]);
    expect(run.report.rounds.map((round) => round.round)).toEqual([0, 1, 2, 3, 4]);
    for (const weights of run.weights) expect(maxDifference(weights, reference)).toBeLessThan(1e-5);
    expect(await readFile(join(run.logs, 'bank-2.log'), 'utf8')).toMatch(/restored this node's saved state; rejoining the job/);
  }, scaledMs(150_000));

  it('a participant killed after round 2 without its saved state: refused without its key share, and with it catches up and the job ends with the uninterrupted model', async () => {
    let refused = '';
    const run = await runWithCrash('participant-catch-up', 'bank', (line) => /^\s+2\s+training\s+3\s/.test(line), async (work) => {
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
    });
    expect(refused).toMatch(/this node has neither: under threshold custody its secret key share \(outputDir\/state\/secret-share\.key\) is missing/);
    expect(run.exits).toEqual([0, 0, 0, 0]);
    expect(run.report.rounds.map((round) => round.round)).toEqual([0, 1, 2, 3, 4]);
    for (const round of run.report.rounds) expect([...round.contributors].sort()).toEqual([...IDS].sort());
    for (const weights of run.weights) expect(maxDifference(weights, reference)).toBeLessThan(1e-5);
    const restarted = await readFile(join(run.logs, 'bank-2.log'), 'utf8');
    expect(restarted).toMatch(/no saved state: catching up on the aggregates of the completed rounds/);
    expect(restarted).toMatch(/collective public key rebuilt from the signed key-setup values/);
  }, scaledMs(150_000));
});
