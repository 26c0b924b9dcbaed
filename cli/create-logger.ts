import pino, { type DestinationStream, type Logger } from 'pino';
import { formatLogLine } from './format-log-line.js';
import type { ProgressLine } from './progress-line.js';
import { UsageError } from './usage-error.js';

export type LogFormat = 'json' | 'pretty';

export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** Key material, ciphertexts and shares never reach a log line, whatever the format. */
export const REDACTED_PATHS = [
  'secretKey', 'publicKey', 'ciphertext', 'chunks', 'share', 'secretShare', 'token',
  '*.secretKey', '*.publicKey', '*.ciphertext', '*.chunks', '*.share', '*.secretShare', '*.token',
];

/**
 * One logger setup for every HEFL process: lines on stderr (stdout is for people's tables), JSON by
 * default for machines or `pretty` for a terminal, with key material and ciphertext fields redacted
 * wherever they appear. With a progress line, log lines are written above it.
 */
export function createLogger(options: { name: string; level?: string; format?: LogFormat; progress?: ProgressLine }): Logger {
  const format = options.format ?? 'json';
  const settings = {
    name: options.name,
    level: options.level ?? process.env.HEFL_LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (format === 'json' && !options.progress?.enabled) return pino(settings, pino.destination({ fd: 2, sync: true }));
  const color = process.stderr.isTTY === true && !process.env.NO_COLOR;
  const destination: DestinationStream = {
    write: (line: string) => {
      const text = format === 'pretty' ? `${formatLogLine(line, { color })}\n` : line;
      if (options.progress) options.progress.interrupt(text);
      else process.stderr.write(text);
    },
  };
  return pino(settings, destination);
}

/** Parses `--log-format`; undefined means the default (json). */
export function parseLogFormat(value: string | undefined, usage: string): LogFormat | undefined {
  if (value === undefined) return undefined;
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw new UsageError(`--log-format must be ${LOG_FORMATS.join(' or ')}, got "${value}"`, usage);
}
