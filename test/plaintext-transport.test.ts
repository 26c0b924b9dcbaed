import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../cli/exit-codes.js';
import { Coordinator } from '../coordinator/coordinator.js';
import { startGrpcCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { ConfigError } from '../protocols/errors.js';
import { initFederationKeys, type InitializedKeyFolders } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys } from '../protocols/keys/read-key-folder.js';
import { bankJob } from './support/bank-slices.js';
import { hasStackTrace, runHefl } from './support/run-hefl.js';

// Nothing here binds or connects off loopback: every refusal happens before a socket is opened.
const job = bankJob({ jobId: 'plaintext-transport', custody: { mode: 'none' } });
const UNROUTED = '10.255.255.1:7700';
let directory: string;
let jobFile: string;
let keys: InitializedKeyFolders;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-plaintext-'));
  jobFile = join(directory, 'job.json');
  await writeFile(jobFile, JSON.stringify(job));
  keys = await initFederationKeys(job, join(directory, 'keys'));
}, 60_000);

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('plain gRPC off loopback is refused unless asked for', () => {
  it('hefl coordinator without --kit on a non-loopback --host exits 3 naming the flag, before binding', async () => {
    for (const host of ['0.0.0.0', '10.255.255.1']) {
      const run = await runHefl(['coordinator', '--job', jobFile, '--keys', keys.coordinator, '--host', host, '--port', '0'], 20_000);
      expect(run.code, run.stderr).toBe(EXIT.config);
      expect(run.stderr).toContain('--allow-plaintext-transport');
      expect(run.stderr).not.toContain('listening');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(hasStackTrace(run.stderr)).toBe(false);
    }
  }, 60_000);

  it('hefl participant with a non-loopback coordinator and no kitDir exits 3 naming the config key, without connecting', async () => {
    const config = join(directory, 'node.json');
    await writeFile(
      config,
      JSON.stringify({ participantId: 'bank', jobId: job.jobId, coordinator: UNROUTED, dataCsv: 'missing.csv', keysDir: keys.participants.bank, outputDir: join(directory, 'out'), connectTimeoutSeconds: 60 }),
    );
    const started = Date.now();
    const run = await runHefl(['participant', '--config', config], 20_000);
    expect(run.code, run.stderr).toBe(EXIT.config);
    expect(run.stderr).toContain('allowPlaintextTransport');
    expect(run.stderr).toContain('kitDir');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    // Refused at once, not after a connection attempt (connectTimeoutSeconds is 60).
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('the library entry points refuse too, unless allowPlaintextTransport is set', async () => {
    const coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(keys.coordinator) });
    await expect(startGrpcCoordinatorServer(coordinator, { host: '0.0.0.0', port: 0 })).rejects.toThrow(ConfigError);
    await expect(startGrpcCoordinatorServer(coordinator, { host: '0.0.0.0', port: 0 })).rejects.toThrow(/allowPlaintextTransport/);
    await expect(GrpcFederationConnection.connect({ address: UNROUTED, connectTimeoutMs: 60_000 })).rejects.toThrow(ConfigError);
    // Loopback stays open without credentials.
    const server = await startGrpcCoordinatorServer(coordinator, { host: '127.0.0.1', port: 0 });
    try {
      const connection = await GrpcFederationConnection.connect({ address: `localhost:${server.port}`, connectTimeoutMs: 5_000 });
      connection.close();
    } finally {
      coordinator.stop('test finished');
      await server.shutdown();
    }
  }, 30_000);
});
