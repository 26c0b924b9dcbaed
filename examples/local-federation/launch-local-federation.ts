import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobReport } from '../../coordinator/coordinator.js';
import type { ParticipantConfig } from '../../participant/participant-config.js';
import type { JobSpec } from '../../protocols/job/job-spec.js';
import type { VerticalJobSpec } from '../../protocols/vertical/vertical-job-spec.js';
import type { VerticalJobReport } from '../../coordinator/vertical/vertical-coordinator.js';
import { initFederationKeys } from '../../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys } from '../../protocols/keys/read-key-folder.js';
import { provisionFederation } from '../../provisioning/provision-federation.js';
import { DEFAULT_PRIVACY_POLICY, type PrivacyPolicy } from '../../participant/privacy-policy.js';
import { jobSha256 } from '../../protocols/job/job-sha256.js';

const HEFL_BIN = fileURLToPath(new URL('../../bin/hefl.js', import.meta.url));

export interface LocalNode {
  readonly participantId: string;
  readonly dataCsv: string;
  readonly evaluationCsv?: string;
  /** Vertical label holder with job scoring: the new customers to score. */
  readonly scoringCsv?: string;
  /** The node's own privacy floor (its config's `privacy`); the defaults when absent. */
  readonly privacy?: PrivacyPolicy;
  /** Keep the node's secret key share after the job (wiped by default). */
  readonly keepSecretShare?: boolean;
  /** After the job, compare with a local-only model (needs evaluationCsv): OUTPUT_DIR/partner-gain.json. */
  readonly compareWithLocalOnly?: boolean;
}

/** The coordinator's report for a job of this kind. */
export type ReportFor<Job> = Job extends VerticalJobSpec ? VerticalJobReport : JobReport;

export interface LocalFederationOptions<Job extends JobSpec | VerticalJobSpec = JobSpec> {
  /** Everything is written here: job, keys, node configs, logs, outputs. */
  readonly workDirectory: string;
  /** A horizontal job, or a vertical one (the same processes and commands, the vertical service). */
  readonly job: Job;
  readonly nodes: readonly LocalNode[];
  /** Receives the coordinator's stdout (its live round table) line by line. */
  readonly onCoordinatorLine?: (line: string) => void;
  /** Kills every process after this long (default 10 minutes). */
  readonly timeoutMs?: number;
  /** Participants also keep every outgoing payload for auditors (--keep-payloads). */
  readonly keepPayloads?: boolean;
  /** Extra environment for the child processes. */
  readonly env?: NodeJS.ProcessEnv;
  /** Extra `hefl coordinator` options (for example `--dashboard 127.0.0.1:0`). */
  readonly coordinatorArgs?: readonly string[];
  /**
   * Provision a federation CA and startup kits (in `<work>/kits`, an auditor's kit included, ledger
   * keys and CKKS parameters pinned) and run every node over mutual TLS.
   */
  readonly mutualTls?: boolean;
  /**
   * Crash one participant on purpose: when a line of its log matches `afterLogLine`, its process is
   * killed (SIGKILL) and started again once with the same config (the restart test).
   */
  readonly killAndRestart?: { readonly participantId: string; readonly afterLogLine: RegExp };
  /** Participants killed (SIGKILL) when a line of their log matches, and not started again. */
  readonly kill?: readonly { readonly participantId: string; readonly afterLogLine: RegExp }[];
  /** Lets the participants take part in a custody-`none` job (HE off: the benchmark baseline). */
  readonly allowUnencryptedUpdates?: boolean;
  /**
   * Nodes on separate hosts: the coordinator listens on `coordinatorHost` (its certificate names it;
   * use with mutualTls) and every process starts under `commandPrefix(nodeId)`, e.g.
   * `['ip', 'netns', 'exec', namespace]` to put each node in its own network namespace.
   */
  readonly network?: { readonly coordinatorHost: string; readonly commandPrefix: (nodeId: string) => readonly string[] };
}

/** Spawns `node HEFL_BIN ...arguments`, under the node's command prefix when the federation spans hosts. */
function spawnHefl(prefix: readonly string[], args: readonly string[], options: SpawnOptions): ChildProcess {
  const command = [...prefix, process.execPath, HEFL_BIN, ...args];
  return spawn(command[0] as string, command.slice(1), options);
}

export interface LocalFederationResult<Report = JobReport> {
  readonly report: Report;
  readonly coordinatorExitCode: number | null;
  readonly participantExitCodes: Readonly<Record<string, number | null>>;
  /** Per participant: its output folder (model/, egress.jsonl). */
  readonly outputDirectories: Readonly<Record<string, string>>;
  readonly logDirectory: string;
  readonly coordinatorAddress: string;
  /** With mutualTls: node id -> startup kit folder (coordinator, participants, "auditor"). */
  readonly kits?: Readonly<Record<string, string>>;
}

/**
 * Sends the child's stderr into `logFile`; resolves with its exit code once it has exited, its
 * pipes have closed and the log file is written and closed (so a reader sees every line).
 */
function exitAfterLog(child: ChildProcess, logFile: string): Promise<number | null> {
  const log = createWriteStream(logFile);
  const written = new Promise<void>((resolve, reject) => {
    log.once('close', resolve);
    log.once('error', reject);
  });
  if (child.stderr) child.stderr.pipe(log);
  else log.end();
  const exited = new Promise<number | null>((resolve) => child.once('close', (code: number | null) => resolve(code)));
  return Promise.all([exited, written]).then(([code]) => code);
}

/** The coordinator's address once it writes `path`; rejects when it exits first (the launch's time limit kills it). */
async function waitForReadyFile(path: string, exited: Promise<number | null>): Promise<string> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text.trim().length > 0) return text.trim();
    if (exitCode !== undefined) throw new Error(`the coordinator exited (code ${exitCode}) before listening`);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
}

/**
 * Runs a whole federation on this machine the way institutions would: keys made offline, then one
 * coordinator process and one process per participant, talking gRPC over 127.0.0.1.
 */
export async function launchLocalFederation<Job extends JobSpec | VerticalJobSpec = JobSpec>(options: LocalFederationOptions<Job>): Promise<LocalFederationResult<ReportFor<Job>>> {
  const work = options.workDirectory;
  const logDirectory = join(work, 'logs');
  await mkdir(logDirectory, { recursive: true });
  const jobFile = join(work, 'job.json');
  await writeFile(jobFile, `${JSON.stringify(options.job, null, 2)}\n`);
  await rm(join(work, 'keys'), { recursive: true, force: true });
  const keys = await initFederationKeys(options.job, join(work, 'keys'));
  let kits: Record<string, string> | undefined;
  if (options.mutualTls) {
    await rm(join(work, 'kits'), { recursive: true, force: true });
    const roster = (await readCoordinatorKeys(keys.coordinator)).manifest;
    ({ kits } = await provisionFederation(
      {
        federationId: 'local',
        coordinator: { address: `${options.network?.coordinatorHost ?? '127.0.0.1'}:7700` },
        participants: options.nodes.map((node) => node.participantId),
        ckks: options.job.ckks,
        custody: options.job.custody.mode,
        jobSha256: jobSha256(options.job),
      },
      join(work, 'kits'),
      { ledgerKeys: roster.identities ?? {} },
    ));
  }

  const children: ChildProcess[] = [];
  const timer = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
  }, options.timeoutMs ?? 600_000);
  try {
    const readyFile = join(work, 'coordinator.address');
    await rm(readyFile, { force: true });
    const reportFile = join(work, 'coordinator-report.json');
    const coordinator = spawnHefl(
      options.network?.commandPrefix('coordinator') ?? [],
      [
        'coordinator', '--job', jobFile, '--keys', keys.coordinator, '--port', '0',
        ...(options.network ? ['--host', options.network.coordinatorHost] : []),
        '--ready-file', readyFile, '--report', reportFile, '--ledger', join(work, 'coordinator-ingress.jsonl'),
        ...(kits?.coordinator ? ['--kit', kits.coordinator] : []),
        ...(options.coordinatorArgs ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
    );
    children.push(coordinator);
    const coordinatorExit = exitAfterLog(coordinator, join(logDirectory, 'coordinator.log'));
    let pending = '';
    coordinator.stdout?.setEncoding('utf8').on('data', (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onCoordinatorLine?.(line);
    });
    const address = await waitForReadyFile(readyFile, coordinatorExit);

    const participantExits: Promise<[string, number | null]>[] = [];
    const outputDirectories: Record<string, string> = {};
    for (const node of options.nodes) {
      const nodeDirectory = join(work, 'nodes');
      await mkdir(nodeDirectory, { recursive: true });
      const configFile = join(nodeDirectory, `${node.participantId}.json`);
      const outputDir = join(work, 'outputs', node.participantId);
      outputDirectories[node.participantId] = outputDir;
      const config: ParticipantConfig = {
        participantId: node.participantId,
        jobId: options.job.jobId,
        coordinator: address,
        dataCsv: relative(nodeDirectory, node.dataCsv),
        ...(node.evaluationCsv ? { evaluationCsv: relative(nodeDirectory, node.evaluationCsv) } : {}),
        ...(node.scoringCsv ? { scoringCsv: relative(nodeDirectory, node.scoringCsv) } : {}),
        keysDir: relative(nodeDirectory, keys.participants[node.participantId] ?? join(work, 'keys', node.participantId)),
        outputDir: relative(nodeDirectory, outputDir),
        keepPayloads: options.keepPayloads ?? false,
        ...(kits?.[node.participantId] ? { kitDir: relative(nodeDirectory, kits[node.participantId] as string) } : {}),
        connectTimeoutSeconds: 60,
        reconnectSeconds: 60,
        allowUnencryptedUpdates: options.allowUnencryptedUpdates ?? false,
        compareWithLocalOnly: node.compareWithLocalOnly ?? false,
        privacy: node.privacy ?? DEFAULT_PRIVACY_POLICY,
        keepSecretShare: node.keepSecretShare ?? false,
        allowPlaintextTransport: false,
      };
      await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
      const start = (attempt: number): ChildProcess => {
        const child = spawnHefl(options.network?.commandPrefix(node.participantId) ?? [], ['participant', '--config', configFile], {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, ...options.env },
        });
        children.push(child);
        const crash =
          attempt > 0 ? undefined : options.killAndRestart?.participantId === node.participantId ? options.killAndRestart : options.kill?.find((entry) => entry.participantId === node.participantId);
        if (crash) {
          let buffered = '';
          child.stderr?.setEncoding('utf8').on('data', (text: string) => {
            buffered += text;
            const lines = buffered.split('\n');
            buffered = lines.pop() ?? '';
            if (child.exitCode === null && lines.some((line) => crash.afterLogLine.test(line))) child.kill('SIGKILL');
          });
        }
        return child;
      };
      const run = async (): Promise<number | null> => {
        const first = start(0);
        const code = await exitAfterLog(first, join(logDirectory, `${node.participantId}.log`));
        if (first.signalCode !== 'SIGKILL' || options.killAndRestart?.participantId !== node.participantId) return code;
        return exitAfterLog(start(1), join(logDirectory, `${node.participantId}.restarted.log`));
      };
      participantExits.push(run().then((code) => [node.participantId, code]));
    }
    const coordinatorExitCode = await coordinatorExit;
    const participantExitCodes = Object.fromEntries(await Promise.all(participantExits));
    if (pending) options.onCoordinatorLine?.(pending);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as ReportFor<Job>;
    return { report, coordinatorExitCode, participantExitCodes, outputDirectories, logDirectory, coordinatorAddress: address, ...(kits ? { kits } : {}) };
  } finally {
    clearTimeout(timer);
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
