import { describe, expect, it } from 'vitest';
import { parseHostPort } from './parse-host-port.js';

describe('parseHostPort', () => {
  it('reads host and port (IPv6 in brackets) and names the option when it cannot', () => {
    expect(parseHostPort('127.0.0.1:9101', '--health', 'usage')).toEqual({ host: '127.0.0.1', port: 9101 });
    expect(parseHostPort('[::1]:0', '--health', 'usage')).toEqual({ host: '::1', port: 0 });
    expect(parseHostPort('localhost:8080', '--http', 'usage')).toEqual({ host: 'localhost', port: 8080 });
    expect(() => parseHostPort('9101', '--health', 'usage')).toThrow('--health must be HOST:PORT (port 0..65535), got "9101"');
    expect(() => parseHostPort('127.0.0.1:70000', '--health', 'usage')).toThrow(/port 0\.\.65535/);
  });
});
