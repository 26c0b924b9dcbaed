import { UsageError } from './usage-error.js';

/** `HOST:PORT` of a command-line option (IPv6 as `[::1]:PORT`), or a usage error naming the option. */
export function parseHostPort(value: string, option: string, usage: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port > 65_535) throw new UsageError(`${option} must be HOST:PORT (port 0..65535), got "${value}"`, usage);
  return { host: (match[1] as string).replace(/^\[(.*)\]$/, '$1'), port };
}
