import { createServer } from 'node:http';
import { ConfigError } from '../protocols/errors.js';
import { isLoopbackHost } from '../protocols/net/loopback-host.js';

export interface ProbeServer extends AsyncDisposable {
  readonly address: string;
  close(): Promise<void>;
}

/**
 * GET /healthz (200 while the process serves) and GET /readyz (200 while `status()` is one of
 * `ready`, else 503), each answering one status word, for a supervisor on the same host. Loopback only:
 * a participant opens no port to the network (DEPLOYMENT.md), and the probes need none.
 */
export async function startProbeServer(options: {
  readonly host: string;
  readonly port: number;
  readonly status: () => string;
  readonly ready: ReadonlySet<string>;
}): Promise<ProbeServer> {
  if (!isLoopbackHost(options.host)) throw new ConfigError(`--health ${options.host}:${options.port}: the probe address must be loopback (127.0.0.1, ::1, localhost)`);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://probe.invalid').pathname;
    const reply = (status: number, body: string): void => {
      response.writeHead(status, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      response.end(body);
    };
    if (request.method !== 'GET') return reply(405, 'only GET\n');
    if (path === '/healthz') return reply(200, 'ok\n');
    if (path === '/readyz') {
      const status = options.status();
      return options.ready.has(status) ? reply(200, `ready: ${status}\n`) : reply(503, `not ready: ${status}\n`);
    }
    reply(404, 'try /healthz or /readyz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : options.port;
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { address: `${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`, close, [Symbol.asyncDispose]: close };
}
