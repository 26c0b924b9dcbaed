import pino, { type Logger } from 'pino';

/**
 * One logger setup for every HEFL process: JSON lines on stderr (stdout is for people), with key
 * material and ciphertext fields redacted wherever they appear.
 */
export function createLogger(options: { name: string; level?: string }): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env.HEFL_LOG_LEVEL ?? 'info',
      redact: {
        paths: ['secretKey', 'publicKey', 'ciphertext', 'chunks', '*.secretKey', '*.publicKey', '*.ciphertext', '*.chunks'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
