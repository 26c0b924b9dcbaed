import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../coordinator/coordinator.js';
import { startCoordinatorHttpServer } from '../coordinator/coordinator-http-server.js';
import { startGrpcCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { Participant } from '../participant/participant.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { bankJob, writeBankSlices } from './support/bank-slices.js';
import { runHefl } from './support/run-hefl.js';
import { scaledMs } from './support/time-scale.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!bankMarketingDataAvailable)('coordinator status and Prometheus metrics', () => {
  it('reports rounds, participants and bytes on /metrics and /status, and `hefl status` prints them', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-observe-'));
    directories.push(directory);
    const slices = await writeBankSlices(join(directory, 'data'), 200, 50);
    const job = bankJob({ jobId: 'observe', training: { rounds: 2, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 3 } });
    const folders = await initFederationKeys(job, join(directory, 'keys'));
    const coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(folders.coordinator) });
    const grpcServer = await startGrpcCoordinatorServer(coordinator);
    const http = await startCoordinatorHttpServer(coordinator, { host: '127.0.0.1', port: 0 });
    await expect(startCoordinatorHttpServer(coordinator, { host: '0.0.0.0', port: 0 })).rejects.toThrow(/token/);
    try {
      // Probes for a supervisor: alive, and ready while the job takes participants.
      expect(await (await fetch(`http://${http.address}/healthz`)).text()).toBe('ok\n');
      const running = coordinator.run();
      const waiting = await fetch(`http://${http.address}/readyz`);
      expect([waiting.status, await waiting.text()]).toEqual([200, 'ready: waiting-for-participants\n']);
      await Promise.all(
        (['bank', 'ecommerce', 'government'] as const).map(async (id) =>
          new Participant({
            participantId: id,
            jobId: job.jobId,
            dataCsv: slices.files[id],
            keys: await readParticipantKeys(folders.participants[id] as string),
            connection: await GrpcFederationConnection.connect({ address: grpcServer.address }),
          }).run(),
        ),
      );
      expect((await running).status).toBe('finished');
      const finished = await fetch(`http://${http.address}/readyz`);
      expect([finished.status, await finished.text()]).toEqual([503, 'not ready: finished\n']);

      const metrics = await (await fetch(`http://${http.address}/metrics`)).text();
      expect(metrics).toMatch(/hefl_coordinator_rounds_completed_total\{kind="training"\} 2/);
      expect(metrics).toMatch(/hefl_coordinator_rounds_completed_total\{kind="statistics"\} 1/);
      expect(Number(/hefl_coordinator_bytes_received (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(1_000_000);
      expect(metrics).toMatch(/hefl_coordinator_round_seconds_count 3/);

      const status = (await (await fetch(`http://${http.address}/status`)).json()) as { status: string; roundsCompleted: number; keyCustody: string };
      expect(status).toMatchObject({ status: 'finished', roundsCompleted: 2, keyCustody: 'threshold' });
      const cli = await runHefl(['status', '--http', http.address]);
      expect(cli.code).toBe(0);
      expect(cli.stdout).toMatch(/job observe: finished \(threshold custody\)/);
      expect(cli.stdout).toMatch(/training rounds completed: 2/);
      expect(cli.stdout).toMatch(/^ {2}bank: left, last seen \d+ s ago$/m);

      // Something at that address that is not a HEFL coordinator: a clear protocol error, not a crash.
      const impostor = createServer((_request, response) => response.end('{"status":"fine"}'));
      await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', () => resolve()));
      try {
        const address = impostor.address() as AddressInfo;
        const refused = await runHefl(['status', '--http', `127.0.0.1:${address.port}`]);
        expect(refused.code).toBe(7);
        expect(refused.stderr).toMatch(/is not a HEFL coordinator status: jobId/);
      } finally {
        impostor.close();
      }
    } finally {
      await http.close();
      await grpcServer.shutdown();
    }
  }, scaledMs(90_000));

  it('guards the dashboard with a token (bearer or one-time cookie), a strict CSP, and streams views', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-dashboard-http-'));
    directories.push(directory);
    const job = bankJob({ jobId: 'dashboard-http' });
    const folders = await initFederationKeys(job, join(directory, 'keys'));
    const coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(folders.coordinator) });
    const http = await startCoordinatorHttpServer(coordinator, { host: '127.0.0.1', port: 0, token: 'open-sesame-42' });
    try {
      const base = `http://${http.address}`;
      expect((await fetch(`${base}/`)).status).toBe(401);
      // The probes need no token: a load balancer has none, and they reveal one status word.
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect((await fetch(`${base}/dashboard.json`, { headers: { authorization: 'Bearer wrong-token-42' } })).status).toBe(401);
      expect((await fetch(`${base}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
      const login = await fetch(`${base}/?token=open-sesame-42`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
      const page = await fetch(`${base}/`, { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(await page.text()).toContain('<script src="/dashboard.js"');

      const view = (await (await fetch(`${base}/dashboard.json`, { headers: { authorization: 'Bearer open-sesame-42' } })).json()) as {
        jobId: string;
        participants: { id: string; state: string }[];
        he: { slotCount: number };
      };
      expect(view.jobId).toBe('dashboard-http');
      expect(view.participants.map((participant) => [participant.id, participant.state])).toEqual([
        ['bank', 'waiting'],
        ['ecommerce', 'waiting'],
        ['government', 'waiting'],
      ]);
      expect(view.he.slotCount).toBe(4096);

      const events = await fetch(`${base}/events`, { headers: { cookie } });
      expect(events.headers.get('content-type')).toBe('text/event-stream');
      const reader = (events.body as ReadableStream<Uint8Array>).getReader();
      const { value } = await reader.read();
      const frame = new TextDecoder().decode(value);
      expect(frame).toMatch(/event: view\ndata: \{"jobId":"dashboard-http"/);
      await reader.cancel();
    } finally {
      await http.close();
    }
  }, scaledMs(60_000));
});
