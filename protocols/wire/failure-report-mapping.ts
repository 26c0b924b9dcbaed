/** FailureReport (participant -> coordinator): a code, a phase and a round, nothing else. */
import { z } from 'zod';
import type { FailureReport as WireFailureReport, FailureReport__Output } from '../../proto/generated/hefl/v1/FailureReport.js';
import { FAILURE_CODES, FAILURE_PHASES, type FailureCode, type FailurePhase, type FailureReport, type Parsed } from './federation-messages.js';
import { failure, freshNonce, identifier, nonce, round, undecodable } from './wire-primitives.js';

/** dataset-invalid -> FAILURE_CODE_DATASET_INVALID. */
function wireName(prefix: string, value: string): string {
  return `${prefix}_${value.toUpperCase().replaceAll('-', '_')}`;
}

const wireCode = z.enum(FAILURE_CODES.map((code) => wireName('FAILURE_CODE', code)) as [string, ...string[]]);
const wirePhase = z.enum(FAILURE_PHASES.map((phase) => wireName('FAILURE_PHASE', phase)) as [string, ...string[]]);

export function toWireFailureReport(report: FailureReport): WireFailureReport {
  return {
    jobId: report.jobId,
    participantId: report.participantId,
    code: wireName('FAILURE_CODE', report.code) as WireFailureReport['code'],
    phase: wireName('FAILURE_PHASE', report.phase) as WireFailureReport['phase'],
    round: report.round,
    nonce: freshNonce(report.nonce),
  };
}

const failureReportSchema = z.object({ jobId: identifier, participantId: identifier, code: wireCode, phase: wirePhase, round, nonce });

export function parseFailureReport(wire: FailureReport__Output): Parsed<FailureReport> {
  const malformed = undecodable(wire, 'failure report');
  if (malformed) return malformed;
  const result = failureReportSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'failure report');
  const { code, phase, ...rest } = result.data;
  return {
    success: true,
    data: {
      ...rest,
      code: FAILURE_CODES.find((candidate) => wireName('FAILURE_CODE', candidate) === code) as FailureCode,
      phase: FAILURE_PHASES.find((candidate) => wireName('FAILURE_PHASE', candidate) === phase) as FailurePhase,
    },
  };
}
