import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../protocols/errors.js';
import type { Coordinator } from './coordinator.js';
import { createCoordinatorMetrics } from './coordinator-metrics.js';

export interface CoordinatorStatusView {
  readonly jobId: string;
  readonly status: string;
  readonly keyCustody: string;
  readonly participantsExpected: readonly string[];
  readonly participantsConnected: readonly string[];
  readonly roundsCompleted: number;
  readonly rounds: ReturnType<Coordinator['report']>['rounds'];
  readonly failure: string | null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** A read-only view of the job for `hefl status` and dashboards. */
export function coordinatorStatusView(coordinator: Coordinator): CoordinatorStatusView {
  const report = coordinator.report();
  return {
    jobId: report.jobId,
    status: report.status,
    keyCustody: report.keyCustody,
    participantsExpected: coordinator.job.federation.participants,
    participantsConnected: coordinator.connectedParticipants(),
    roundsCompleted: report.rounds.filter((round) => round.kind === 'training').length,
    rounds: report.rounds,
    failure: report.failure,
  };
}

/**
 * Serves GET /metrics (Prometheus text format) and GET /status (JSON) for one coordinator. Read-only.
 * Off loopback it requires a bearer token, since job status tells who takes part.
 */
export async function startCoordinatorHttpServer(
  coordinator: Coordinator,
  options: { host: string; port: number; token?: string },
): Promise<{ address: string; port: number; close(): Promise<void> }> {
  if (!LOOPBACK.has(options.host) && !options.token) {
    throw new ConfigError(`the status/metrics endpoint on ${options.host} is not loopback: give it a token (--http-token)`);
  }
  const metrics = createCoordinatorMetrics(coordinator);
  const authorized = (request: IncomingMessage): boolean => {
    if (!options.token) return true;
    const given = Buffer.from(request.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${options.token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      if (request.method !== 'GET') return send(response, 405, 'text/plain', 'only GET\n');
      if (!authorized(request)) return send(response, 401, 'text/plain', 'missing or wrong bearer token\n');
      const path = (request.url ?? '/').split('?')[0];
      if (path === '/metrics') return send(response, 200, metrics.registry.contentType, await metrics.registry.metrics());
      if (path === '/status') return send(response, 200, 'application/json', `${JSON.stringify(coordinatorStatusView(coordinator), null, 2)}\n`);
      send(response, 404, 'text/plain', 'try /metrics or /status\n');
    })().catch(() => send(response, 500, 'text/plain', 'internal error\n'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    address: `${options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        metrics.dispose();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}
