import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { launchLocalFederation, type LocalFederationResult } from '../examples/local-federation/launch-local-federation.js';
import { bankJob, writeBankSlices } from './support/bank-slices.js';
import { scaledMs } from './support/time-scale.js';

// Issue #18: a federation whose nodes are on separate hosts. Each node runs in its own network
// namespace that this test creates (its own loopback, its own address on a private bridge), so a
// participant reaches the coordinator only at 10.77.x.1 over mutual TLS, as across institutions.

const IDS = ['bank', 'ecommerce', 'government'] as const;
const tag = `h${process.pid % 100_000}`;
const namespaceOf = (node: string): string => `${tag}-${node}`;
const SUBNET = `10.77.${process.pid % 200}`;
const COORDINATOR_HOST = `${SUBNET}.1`;

function ip(...args: string[]): { ok: boolean; stderr: string } {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: result.status === 0, stderr: (result.stderr ?? '').trim() };
}

/** Creates the namespaces and a bridge in the coordinator's; the reason it cannot, or undefined. */
function createNetwork(): string | undefined {
  const probe = ip('netns', 'add', namespaceOf('coordinator'));
  if (!probe.ok) return `network namespaces are not permitted here (ip netns add: ${probe.stderr || 'failed'})`;
  const steps: string[][] = [
    ['-n', namespaceOf('coordinator'), 'link', 'set', 'lo', 'up'],
    ['-n', namespaceOf('coordinator'), 'link', 'add', 'br0', 'type', 'bridge'],
    ['-n', namespaceOf('coordinator'), 'addr', 'add', `${COORDINATOR_HOST}/24`, 'dev', 'br0'],
    ['-n', namespaceOf('coordinator'), 'link', 'set', 'br0', 'up'],
  ];
  IDS.forEach((id, index) => {
    const namespace = namespaceOf(id);
    steps.push(
      ['netns', 'add', namespace],
      ['-n', namespace, 'link', 'set', 'lo', 'up'],
      ['link', 'add', `${tag}n${index}`, 'netns', namespace, 'type', 'veth', 'peer', 'name', `${tag}c${index}`, 'netns', namespaceOf('coordinator')],
      ['-n', namespaceOf('coordinator'), 'link', 'set', `${tag}c${index}`, 'master', 'br0', 'up'],
      ['-n', namespace, 'addr', 'add', `${SUBNET}.${index + 2}/24`, 'dev', `${tag}n${index}`],
      ['-n', namespace, 'link', 'set', `${tag}n${index}`, 'up'],
    );
  });
  for (const step of steps) {
    const result = ip(...step);
    if (!result.ok) return `could not build the test network (ip ${step.join(' ')}: ${result.stderr})`;
  }
  return undefined;
}

function removeNetwork(): void {
  for (const node of ['coordinator', ...IDS]) ip('netns', 'del', namespaceOf(node));
}

const unavailable = bankMarketingDataAvailable ? createNetwork() : 'no bank-marketing data';
if (unavailable !== undefined) {
  removeNetwork();
  console.warn(`test/network-namespaces.test.ts skipped: ${unavailable}`);
}

describe.skipIf(unavailable !== undefined)('a federation across network namespaces (one per node) over mutual TLS', () => {
  let directory: string;
  let result: LocalFederationResult;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-netns-'));
    const slices = await writeBankSlices(join(directory, 'data'), 300, 200);
    result = await launchLocalFederation({
      workDirectory: join(directory, 'federation'),
      job: bankJob({ jobId: 'netns', training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 5 } }),
      nodes: IDS.map((participantId) => ({ participantId, dataCsv: slices.files[participantId] })),
      mutualTls: true,
      network: { coordinatorHost: COORDINATOR_HOST, commandPrefix: (node) => ['ip', 'netns', 'exec', namespaceOf(node)] },
      timeoutMs: scaledMs(150_000),
    });
  }, scaledMs(180_000));

  afterAll(async () => {
    removeNetwork();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('binds the coordinator to its own address with --host, and every node finishes the job', () => {
    expect(result.coordinatorAddress).toMatch(new RegExp(`^${COORDINATOR_HOST.replaceAll('.', '\\.')}:\\d+$`));
    expect(result.coordinatorExitCode).toBe(0);
    expect(result.participantExitCodes).toEqual({ bank: 0, ecommerce: 0, government: 0 });
    expect(result.report.status).toBe('finished');
    expect(result.report.rounds.map((round) => [round.kind, round.contributors.length])).toEqual([
      ['statistics', 3],
      ['training', 3],
    ]);
  });
});
