import type { HeflErrorCode } from '../protocols/errors.js';

/** Documented exit statuses of `hefl` (see README). */
export const EXIT = {
  ok: 0,
  jobFailed: 1,
  usage: 2,
  config: 3,
  dataset: 4,
  keyCustody: 5,
  unreachable: 6,
  protocol: 7,
  internal: 70,
} as const;

export function exitCodeFor(code: HeflErrorCode): number {
  switch (code) {
    case 'CONFIG_INVALID':
      return EXIT.config;
    case 'DATASET_INVALID':
      return EXIT.dataset;
    case 'KEY_CUSTODY_VIOLATION':
      return EXIT.keyCustody;
    case 'COORDINATOR_UNREACHABLE':
      return EXIT.unreachable;
    case 'ROUND_FAILED':
      return EXIT.jobFailed;
    case 'CIPHERTEXT_INVALID':
    case 'WIRE_MESSAGE_INVALID':
    case 'PROTOCOL_VIOLATION':
      return EXIT.protocol;
  }
}
