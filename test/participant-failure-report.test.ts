import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import type { FederationConnection } from '../participant/federation-connection.js';
import type { ParticipantConfig } from '../participant/participant-config.js';
import { formatCsv } from '../participant/data/write-csv.js';
import { DEFAULT_PRIVACY_POLICY } from '../participant/privacy-policy.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { bankJob, writeBankSlices } from './support/bank-slices.js';
import { forwardConnection } from './support/forward-connection.js';
import { runInProcessFederation } from './support/in-process-federation.js';
import { HEFL_BIN, runHefl } from './support/run-hefl.js';
import { freePort } from './support/free-port.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

// A participant whose CSV turns out bad once it joined stops, and tells the coordinator why in one
// bounded message (a code, the phase, the round): the coordinator logs it, the dashboard's status
// shows it, and the cell value that broke the CSV appears in no message, coordinator log or ledger.
const IDS = ['bank', 'ecommerce', 'government'] as const;
const SECRET_CELL = 'SECRETCELL4711';
// The job waits for participants long enough that the test, not a deadline, ends it.
const job = bankJob({
  jobId: 'failure-report',
  federation: { participants: [...IDS], minParticipants: 3, roundDeadlineSeconds: scaledSeconds(120), joinDeadlineSeconds: scaledSeconds(120) },
});
let directory: string;
const children = new Set<ChildProcess>();

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (directory) await rm(directory, { recursive: true, force: true });
});


/** `hefl ARGS` as a process: its output so far, the first line (seen or still to come) that matches, and its exit. */
function hefl(args: readonly string[]): { child: ChildProcess; output: () => string; line: (match: (line: string) => boolean) => Promise<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [HEFL_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  let pending = '';
  const seen: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      seen.push(...lines);
      for (const line of lines) for (const waiter of waiters.splice(0)) (waiter.match(line) ? waiter.resolve(line) : waiters.push(waiter));
    });
  }
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => (children.delete(child), resolve(code))));
  return {
    child,
    output: () => output,
    line: (match) =>
      new Promise<string>((resolve, reject) => {
        const earlier = seen.find(match);
        if (earlier !== undefined) return resolve(earlier);
        waiters.push({ match, resolve });
        void exit.then((code) => reject(new Error(`hefl ${args[0]} exited (${code}) before the awaited line:\n${output.slice(-3_000)}`)));
      }),
    exit,
  };
}

describe.skipIf(!bankMarketingDataAvailable)('a participant that stops on an error says why', () => {
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-failure-'));
  });

  it('bad CSV after join: the coordinator logs and shows the reason code, and no cell value leaves', async () => {
    const slices = await writeBankSlices(join(directory, 'data'), 120, 40);
    // One numeric cell of bank's CSV holds a value the parser refuses (and names in its error).
    const ageColumn = slices.table.header.indexOf('age');
    const rows = slices.rows.bank.map((row) => [...row]);
    (rows[5] as string[])[ageColumn] = SECRET_CELL;
    await writeFile(slices.files.bank, formatCsv(slices.table.header, rows));

    const jobFile = join(directory, 'job.json');
    await writeFile(jobFile, JSON.stringify(job));
    const keys = await initFederationKeys(job, join(directory, 'keys'));
    const [port, httpPort] = [await freePort(), await freePort()];
    const ingress = join(directory, 'ingress.jsonl');
    const coordinator = hefl(['coordinator', '--job', jobFile, '--keys', keys.coordinator, '--port', String(port), '--ledger', ingress, '--dashboard', `127.0.0.1:${httpPort}`]);
    await coordinator.line((line) => line.includes('waiting for participants'));
    const reported = coordinator.line((line) => line.includes('participant reported a failure'));
    // Bank alone: with everyone joined the coordinator would start key setup, which it then fails at
    // once (key setup needs every node); alone, the job keeps waiting and its status can be read.
    const participants = await Promise.all(
      (['bank'] as const).map(async (id) => {
        const config: ParticipantConfig = {
          participantId: id,
          jobId: job.jobId,
          coordinator: `127.0.0.1:${port}`,
          dataCsv: slices.files[id],
          keysDir: keys.participants[id] as string,
          outputDir: join(directory, 'outputs', id),
          keepPayloads: true,
          allowUnencryptedUpdates: false,
          privacy: DEFAULT_PRIVACY_POLICY,
          keepSecretShare: false,
          compareWithLocalOnly: false,
          allowPlaintextTransport: false,
          connectTimeoutSeconds: scaledSeconds(30),
          reconnectSeconds: 0,
        };
        const configFile = join(directory, `${id}.json`);
        await writeFile(configFile, JSON.stringify(config));
        return hefl(['participant', '--config', configFile]);
      }),
    );
    const bank = participants[0] as ReturnType<typeof hefl>;

    // One log line: who, which code, which phase and round.
    const line = JSON.parse(await reported) as Record<string, unknown>;
    expect(line).toMatchObject({ participantId: 'bank', code: 'dataset-invalid', phase: 'join', round: 0 });
    expect(await bank.exit).not.toBe(0);
    // The node's own log names the problem in full (it stays on the node).
    expect(bank.output()).toContain(SECRET_CELL);
    expect(bank.output()).toMatch(/told the coordinator why this node stops/);

    // The dashboard's status document and `hefl status` show the reason for that participant.
    await coordinator.line((text) => text.includes('participant disconnected') && text.includes('"bank"'));
    const status = (await (await fetch(`http://127.0.0.1:${httpPort}/status`)).json()) as { participants: { id: string; state: string; failure: unknown }[] };
    expect(status.participants.find((participant) => participant.id === 'bank')).toMatchObject({ state: 'failed', failure: { code: 'dataset-invalid', phase: 'join', round: 0 } });
    expect(status.participants.find((participant) => participant.id === 'ecommerce')).toMatchObject({ state: 'waiting', failure: null });
    const printed = await runHefl(['status', '--http', `127.0.0.1:${httpPort}`]);
    expect(printed.stdout).toMatch(/bank: failed \(reported dataset-invalid in join, round 0\)/);

    coordinator.child.kill('SIGKILL');
    await coordinator.exit;

    // What left bank: its Join and the failure report, both bounded metadata in its signed ledger.
    const egressFile = join(directory, 'outputs', 'bank', 'egress.jsonl');
    const egress = (await readFile(egressFile, 'utf8')).trim().split('\n').map((text) => JSON.parse(text) as { messageType: string; classification: string; metadataFields?: Record<string, unknown> });
    expect(egress.map((record) => record.messageType)).toEqual(['Join', 'ReportFailure']);
    expect(egress[1]).toMatchObject({ classification: 'metadata', metadataFields: { participantId: 'bank', code: 'dataset-invalid', phase: 'join', round: 0 } });
    const ingressText = await readFile(ingress, 'utf8');
    expect(ingressText).toMatch(/"messageType":"ReportFailure"/);
    // No cell value anywhere the coordinator or an auditor sees it, nor in the payload that left.
    const payloads = join(directory, 'outputs', 'bank', 'payloads');
    for (const text of [coordinator.output(), ingressText, await readFile(egressFile, 'utf8')]) expect(text).not.toContain(SECRET_CELL);
    for (const file of await readdir(payloads)) expect((await readFile(join(payloads, file))).includes(SECRET_CELL)).toBe(false);
    // The ledger verifies, the failure report re-classified from its kept bytes as metadata.
    const roster = join(keys.coordinator, 'keys.json');
    const audit = await runHefl(['audit', 'verify', '--roster', roster, egressFile, ingress]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/bank: VERIFIED/);
  }, scaledMs(120_000));

  it('a node that throws mid-job: the round it is needed for ends at once, not at its deadline (N-of-N: it cannot finish without it)', async () => {
    const slices = await writeBankSlices(join(directory, 'data-mid-job'), 120, 40);
    // A round deadline far beyond the test's own timeout: the job can only end in time if the round ends early.
    const midJob = bankJob({
      jobId: 'throws-mid-job',
      federation: { participants: [...IDS], minParticipants: 3, roundDeadlineSeconds: scaledSeconds(1_200), joinDeadlineSeconds: scaledSeconds(30), roundRetries: 0 },
    });
    const result = await runInProcessFederation(
      midJob,
      IDS.map((id) => ({
        participantId: id,
        dataCsv: slices.files[id],
        ...(id === 'bank'
          ? {
              wrapConnection: (connection: FederationConnection): FederationConnection => ({
                ...forwardConnection(connection),
                submitUpdate: async (chunks) => {
                  const list = [];
                  for await (const chunk of chunks) list.push(chunk);
                  if (list[0]?.round === 2) throw new Error(`disk full while reading ${SECRET_CELL}`);
                  return connection.submitUpdate(list);
                },
              }),
            }
          : {}),
      })),
    );
    await rm(result.keysDirectory, { recursive: true, force: true });
    expect(result.report.status).toBe('failed');
    expect(result.report.failure).toMatch(/^round 2: participant "bank" stopped \(internal, in training\), so no update can come from it$/);
    expect(result.report.rounds.map((round) => round.round)).toEqual([0, 1]);
    expect(result.failures.bank?.message).toContain(SECRET_CELL);
  }, scaledMs(120_000));

  it('SIGTERM: the node tells the coordinator it was stopped by its operator, then leaves', async () => {
    const slices = await writeBankSlices(join(directory, 'data-sigterm'), 120, 40);
    const sigtermJob = bankJob({ ...job, jobId: 'sigterm' });
    const jobFile = join(directory, 'sigterm-job.json');
    await writeFile(jobFile, JSON.stringify(sigtermJob));
    const keys = await initFederationKeys(sigtermJob, join(directory, 'sigterm-keys'));
    const port = await freePort();
    const coordinator = hefl(['coordinator', '--job', jobFile, '--keys', keys.coordinator, '--port', String(port)]);
    await coordinator.line((line) => line.includes('waiting for participants'));
    const config: ParticipantConfig = {
      participantId: 'ecommerce',
      jobId: sigtermJob.jobId,
      coordinator: `127.0.0.1:${port}`,
      dataCsv: slices.files.ecommerce,
      keysDir: keys.participants.ecommerce as string,
      outputDir: join(directory, 'sigterm-outputs', 'ecommerce'),
      keepPayloads: false,
      allowUnencryptedUpdates: false,
      privacy: DEFAULT_PRIVACY_POLICY,
      keepSecretShare: false,
      compareWithLocalOnly: false,
      allowPlaintextTransport: false,
      connectTimeoutSeconds: scaledSeconds(30),
      reconnectSeconds: 0,
    };
    const configFile = join(directory, 'sigterm-ecommerce.json');
    await writeFile(configFile, JSON.stringify(config));
    const node = hefl(['participant', '--config', configFile]);
    try {
      await node.line((line) => line.includes('local data loaded'));
      const reported = coordinator.line((line) => line.includes('participant reported a failure'));
      node.child.kill('SIGTERM');
      expect(JSON.parse(await reported)).toMatchObject({ participantId: 'ecommerce', code: 'stopped-by-operator', phase: 'join', round: 0 });
      expect(await node.exit).toBe(1);
    } finally {
      node.child.kill('SIGKILL');
      coordinator.child.kill('SIGKILL');
      await coordinator.exit;
    }
  }, scaledMs(90_000));
});
