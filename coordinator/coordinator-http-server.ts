import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../protocols/errors.js';
import type { Coordinator } from './coordinator.js';
import { createCoordinatorMetrics } from './coordinator-metrics.js';
import { dashboardView, type AuditStatus, type DashboardView } from './dashboard/dashboard-view.js';

export interface CoordinatorStatusView {
  readonly jobId: string;
  readonly status: string;
  readonly keyCustody: string;
  readonly participantsExpected: readonly string[];
  readonly participantsConnected: readonly string[];
  readonly roundsCompleted: number;
  readonly rounds: ReturnType<Coordinator['report']>['rounds'];
  readonly failure: string | null;
  /** What each listed participant is doing (state, last seen); no content of any message. */
  readonly participants: ReturnType<Coordinator['participantActivity']>;
}

export interface CoordinatorHttpOptions {
  readonly host: string;
  readonly port: number;
  /** Required off loopback: a bearer token (header), or `/?token=` once in a browser (sets a cookie). */
  readonly token?: string;
  /** The audit panel's source; the panel says "not reported" without it. */
  readonly audit?: () => AuditStatus;
  /** Longest wait between two dashboard updates when nothing changes (keeps "last seen" fresh). */
  readonly refreshMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
/** Statuses in which the coordinator takes participants' requests: /readyz answers 200. */
const ACCEPTING: ReadonlySet<string> = new Set(['created', 'waiting-for-participants', 'running']);
const MAX_EVENT_STREAMS = 32;
const MAX_BUFFERED_EVENT_BYTES = 1_000_000;
const COOKIE = 'hefl_dashboard';
const ASSETS = new URL('./dashboard/assets/', import.meta.url);
const DASHBOARD_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
};
// Only this server's own script and style; no inline code, no third-party origin, no framing.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A read-only view of the job for `hefl status`. */
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
    participants: coordinator.participantActivity(),
  };
}

/**
 * The coordinator's read-only web surface: the live dashboard (`/`, updated over server-sent events
 * at `/events`), GET /metrics (Prometheus text format), GET /status (JSON for `hefl status`) and
 * GET /dashboard.json, and the probes GET /healthz and /readyz. Off loopback it requires a token
 * (but not for the probes), since job status tells who takes part.
 */
export async function startCoordinatorHttpServer(
  coordinator: Coordinator,
  options: CoordinatorHttpOptions,
): Promise<{ address: string; port: number; close(): Promise<void> }> {
  if (!LOOPBACK.has(options.host) && !options.token) {
    throw new ConfigError(`the dashboard/status/metrics endpoint on ${options.host} is not loopback: give it a token (--http-token)`);
  }
  const assets = new Map(Object.entries(DASHBOARD_FILES).map(([path, { file, type }]) => [path, { body: readFileSync(new URL(file, ASSETS)), type }]));
  const metrics = createCoordinatorMetrics(coordinator);
  const view = (): DashboardView => dashboardView(coordinator, options.audit?.() ?? null);
  const streams = new Set<ServerResponse>();
  const authorized = (request: IncomingMessage): boolean => {
    if (!options.token) return true;
    const header = request.headers.authorization;
    if (header !== undefined && sameSecret(header, `Bearer ${options.token}`)) return true;
    const cookie = cookieValue(request.headers.cookie, COOKIE);
    return cookie !== undefined && sameSecret(cookie, options.token);
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      if (request.method !== 'GET') return send(response, 405, 'text/plain', 'only GET\n');
      const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
      // Probes for a supervisor or load balancer: no token needed, and they say nothing about the job
      // but one status word. Started after the gRPC server listens (run-coordinator-command.ts).
      if (url.pathname === '/healthz') return send(response, 200, 'text/plain', 'ok\n');
      if (url.pathname === '/readyz') {
        const status = coordinator.report().status;
        return send(response, ACCEPTING.has(status) ? 200 : 503, 'text/plain', `${ACCEPTING.has(status) ? 'ready' : 'not ready'}: ${status}\n`);
      }
      const offeredToken = url.searchParams.get('token');
      if (options.token && url.pathname === '/' && offeredToken !== null) {
        // A browser cannot set headers on EventSource: the token becomes an HttpOnly cookie once.
        if (!sameSecret(offeredToken, options.token)) return send(response, 401, 'text/plain', 'wrong token\n');
        response.writeHead(303, { location: '/', 'set-cookie': `${COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`, 'cache-control': 'no-store' });
        return response.end();
      }
      if (!authorized(request)) return send(response, 401, 'text/plain', 'missing or wrong token: send "Authorization: Bearer TOKEN" or open /?token=TOKEN\n');
      const asset = assets.get(url.pathname);
      if (asset) return send(response, 200, asset.type, asset.body, SECURITY_HEADERS);
      if (url.pathname === '/events') return openEventStream(response);
      if (url.pathname === '/metrics') return send(response, 200, metrics.registry.contentType, await metrics.registry.metrics());
      if (url.pathname === '/status') return send(response, 200, 'application/json', `${JSON.stringify(coordinatorStatusView(coordinator), null, 2)}\n`);
      if (url.pathname === '/dashboard.json') return send(response, 200, 'application/json', `${JSON.stringify(view())}\n`);
      send(response, 404, 'text/plain', 'try / (dashboard), /events, /metrics, /status, /dashboard.json, /healthz or /readyz\n');
    })().catch(() => send(response, 500, 'text/plain', 'internal error\n'));
  });

  let pending: NodeJS.Timeout | undefined;
  const pushView = (): void => {
    pending = undefined;
    if (streams.size === 0) return;
    const frame = `event: view\ndata: ${JSON.stringify(view())}\n\n`;
    for (const stream of streams) {
      // A dashboard that stopped reading is dropped rather than buffered without bound.
      if (stream.writableLength > MAX_BUFFERED_EVENT_BYTES) {
        streams.delete(stream);
        stream.destroy();
        continue;
      }
      stream.write(frame);
    }
  };
  // Many observations arrive per second while updates stream in: at most one frame per 250 ms.
  const schedulePush = (): void => {
    pending ??= setTimeout(pushView, 250);
  };
  const unsubscribe = coordinator.observe(schedulePush);
  const refresh = setInterval(schedulePush, options.refreshMs ?? 5_000);
  refresh.unref();

  function openEventStream(response: ServerResponse): void {
    if (streams.size >= MAX_EVENT_STREAMS) return send(response, 503, 'text/plain', `at most ${MAX_EVENT_STREAMS} dashboards at once\n`);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', ...SECURITY_HEADERS });
    response.write(`retry: 2000\nevent: view\ndata: ${JSON.stringify(view())}\n\n`);
    streams.add(response);
    response.on('close', () => streams.delete(response));
  }

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
        unsubscribe();
        clearInterval(refresh);
        if (pending) clearTimeout(pending);
        pushView();
        for (const stream of streams) stream.end();
        metrics.dispose();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(rest.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
  response.end(body);
}
