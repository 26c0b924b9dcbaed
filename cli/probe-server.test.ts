import { describe, expect, it } from 'vitest';
import { startProbeServer } from './probe-server.js';

describe('startProbeServer', () => {
  it('answers /healthz always and /readyz by the status, and refuses a non-loopback address', async () => {
    let status = 'joining';
    const probe = await startProbeServer({ host: '127.0.0.1', port: 0, status: () => status, ready: new Set(['training']) });
    try {
      const get = async (path: string): Promise<[number, string]> => {
        const response = await fetch(`http://${probe.address}${path}`);
        return [response.status, await response.text()];
      };
      expect(await get('/healthz')).toEqual([200, 'ok\n']);
      expect(await get('/readyz')).toEqual([503, 'not ready: joining\n']);
      status = 'training';
      expect(await get('/readyz')).toEqual([200, 'ready: training\n']);
      expect((await get('/status'))[0]).toBe(404);
    } finally {
      await probe.close();
    }
    await expect(startProbeServer({ host: '0.0.0.0', port: 0, status: () => status, ready: new Set() })).rejects.toThrow(/must be loopback/);
  });
});
