import { HeflError } from '../protocols/errors.js';
import type { CoordinatorEvent, FailureCode, FailurePhase, FailureReport } from '../protocols/wire/federation-messages.js';
import type { ParticipantNode } from './participant-options.js';

/** How long a stopping node waits for the coordinator to take its report before it goes anyway. */
const REPORT_TIMEOUT_MS = 5_000;

/**
 * The code of an error, from a closed list. Only the error's class and code are read, never its
 * message: a dataset error names file, line and the cell value, and none of that may leave.
 */
export function failureCodeOf(error: unknown): FailureCode {
  if (error instanceof HeflError) {
    switch (error.code) {
      case 'DATASET_INVALID':
        return 'dataset-invalid';
      case 'CONFIG_INVALID':
        return 'config-invalid';
      case 'KEY_CUSTODY_VIOLATION':
        return 'custody-violation';
      case 'PROTOCOL_VIOLATION':
      case 'WIRE_MESSAGE_INVALID':
      case 'CIPHERTEXT_INVALID':
        return 'protocol-violation';
      default:
        return 'internal';
    }
  }
  if (error instanceof RangeError && /allocation failed|out of memory|invalid array length/i.test(error.message)) return 'out-of-memory';
  if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') return 'out-of-memory';
  return 'internal';
}

/** Where in the job an event puts the node, and in which round. */
export function failurePlaceOf(event: CoordinatorEvent | undefined, currentRound: number): { phase: FailurePhase; round: number } {
  const round = Math.max(0, currentRound);
  if (!event) return { phase: 'join', round };
  switch (event.type) {
    case 'job-accepted':
      return { phase: 'join', round };
    case 'key-setup-requested':
    case 'key-setup-complete':
      return { phase: 'key-setup', round: 0 };
    case 'round-started':
    case 'aggregate-ready':
    case 'aggregate-decrypted':
      return { phase: event.kind, round: event.round };
    case 'decryption-requested':
      return { phase: 'decryption', round: event.round };
    case 'job-finished':
    case 'job-failed':
      return { phase: 'finish', round };
  }
}

/**
 * Tells the coordinator once why this node stops: the code, phase and round, through the same
 * connection (so the egress guard classifies it and the signed ledger records it). Best effort: a
 * coordinator that is gone or slow does not keep the node from stopping.
 */
export async function reportFailure(node: ParticipantNode, report: Omit<FailureReport, 'jobId' | 'participantId' | 'nonce'>): Promise<void> {
  const { options, logger } = node;
  let timer: NodeJS.Timeout | undefined;
  try {
    const receipt = await Promise.race([
      options.connection.reportFailure({ jobId: options.jobId, participantId: options.participantId, ...report }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${REPORT_TIMEOUT_MS / 1000} s`)), REPORT_TIMEOUT_MS);
      }),
    ]);
    if (receipt.accepted) logger.info(report, 'told the coordinator why this node stops');
    else logger.warn({ ...report, reason: receipt.reason }, 'the coordinator refused this node\'s failure report');
  } catch (error) {
    logger.warn({ ...report, reason: error instanceof Error ? error.message : String(error) }, 'could not tell the coordinator why this node stops');
  } finally {
    clearTimeout(timer);
  }
}
