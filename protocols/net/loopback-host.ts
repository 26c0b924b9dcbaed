import { BlockList, isIPv4, isIPv6 } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether a host only ever reaches this machine: `localhost`, IPv4 127.0.0.0/8 or IPv6 `::1`
 * (bracketed or not, any spelling). Bind-all addresses (`0.0.0.0`, `::`) and names are not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  if (name === 'localhost' || name === 'localhost.') return true;
  const bare = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  if (isIPv4(bare)) return LOOPBACK.check(bare, 'ipv4');
  if (isIPv6(bare)) return LOOPBACK.check(bare, 'ipv6');
  return false;
}

/** The host part of `host:port` or `[v6]:port` (the whole string when it has no port). */
export function hostOfAddress(address: string): string {
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(address);
  if (bracketed) return bracketed[1] as string;
  const plain = /^([^:]+):\d+$/.exec(address);
  return plain ? (plain[1] as string) : address;
}
