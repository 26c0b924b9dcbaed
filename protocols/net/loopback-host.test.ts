import { describe, expect, it } from 'vitest';
import { hostOfAddress, isLoopbackHost } from './loopback-host.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', '127.255.255.254', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );

  it.each(['10.0.0.1', '0.0.0.0', '::', '[::]', 'example.com', '128.0.0.1', '192.168.1.10', '::2', 'localhost.example.com', '127.0.0.1.example.com', ''])(
    '%s is not loopback',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
});

describe('hostOfAddress', () => {
  it('splits host:port and [v6]:port', () => {
    expect(hostOfAddress('127.0.0.1:7700')).toBe('127.0.0.1');
    expect(hostOfAddress('[::1]:7700')).toBe('::1');
    expect(hostOfAddress('coordinator.bank.example:7700')).toBe('coordinator.bank.example');
    expect(hostOfAddress('10.0.0.1')).toBe('10.0.0.1');
  });
});
