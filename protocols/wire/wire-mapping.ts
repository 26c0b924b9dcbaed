/**
 * The one place that converts between generated wire types (proto/generated) and domain messages.
 * Every inbound message is parsed with zod here (safeParse, never trusting the peer); outbound
 * messages are built here. Pairs: to<Wire>/parse<Domain>. Threshold custody's pairs are in
 * threshold-wire-mapping.ts (re-exported here) and the shared zod primitives in wire-primitives.ts.
 */
import { z } from 'zod';
import type { AggregateChunk__Output, AggregateChunk as WireAggregateChunk } from '../../proto/generated/hefl/v1/AggregateChunk.js';
import type { CoordinatorEvent as WireCoordinatorEvent, CoordinatorEvent__Output } from '../../proto/generated/hefl/v1/CoordinatorEvent.js';
import type { EvaluationReport as WireEvaluationReport, EvaluationReport__Output } from '../../proto/generated/hefl/v1/EvaluationReport.js';
import type { FetchAggregateRequest as WireFetchAggregateRequest, FetchAggregateRequest__Output } from '../../proto/generated/hefl/v1/FetchAggregateRequest.js';
import type { JoinRequest as WireJoinRequest, JoinRequest__Output } from '../../proto/generated/hefl/v1/JoinRequest.js';
import type { UpdateChunk as WireUpdateChunk, UpdateChunk__Output } from '../../proto/generated/hefl/v1/UpdateChunk.js';
import { jobSpecSchema } from '../job/job-spec.js';
import { type CoordinatorEvent, type EvaluationReport, type FetchAggregateRequest, type JoinRequest, type Parsed, type RoundKind, type UpdateChunk } from './federation-messages.js';
import { identifier, round, bytes, wireRoundKind, wireKeySetupStep, KEY_SETUP_STEP_TO_WIRE, fromWireKeySetupStep, signedValueSchema, sha256Hex, toBuffer, toWireSignedValue, fromWireRoundKind, toWireRoundKind, failure, undecodable, nonce, chunkNonce, freshNonce, nonceOnFirstChunk, parsed } from './wire-primitives.js';

// Threshold custody's messages: key setup, partial decryptions, relayed contributions, decrypted sums.
export * from './threshold-wire-mapping.js';
// A participant's report of why it stopped (a closed code list, no text).
export * from './failure-report-mapping.js';

// --- JoinRequest (participant -> coordinator)
export function toWireJoinRequest(request: JoinRequest): WireJoinRequest {
  const { resumeAfterRound, catchUp, ...rest } = request;
  return {
    ...rest,
    nonce: freshNonce(request.nonce),
    resuming: resumeAfterRound !== undefined,
    lastAppliedRound: resumeAfterRound ?? 0,
    catchUp: catchUp ?? false,
  };
}
const joinRequestSchema = z.object({
  jobId: identifier,
  participantId: identifier,
  protocolVersion: z.number().int(),
  keyFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  nonce,
  resuming: z.boolean(),
  lastAppliedRound: round,
  catchUp: z.boolean(),
});
export function parseJoinRequest(wire: JoinRequest__Output): Parsed<JoinRequest> {
  const malformed = undecodable(wire, 'join request');
  if (malformed) return malformed;
  const result = joinRequestSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'join request');
  const { resuming, lastAppliedRound, catchUp, ...rest } = result.data;
  return { success: true, data: { ...rest, resumeAfterRound: resuming ? lastAppliedRound : undefined, ...(catchUp ? { catchUp } : {}) } };
}

// --- CoordinatorEvent (coordinator -> participant)
/** The fields every aggregate event shares: which round, who contributed, and the layout. */
function toWireAggregateSummary(event: {
  round: number;
  kind: RoundKind;
  contributors: readonly string[];
  chunkCount: number;
  vectorLength: number;
}) {
  return {
    round: event.round,
    kind: toWireRoundKind(event.kind),
    contributors: [...event.contributors],
    chunkCount: event.chunkCount,
    vectorLength: event.vectorLength,
  };
}
const aggregateSummarySchema = z.object({
  round,
  kind: wireRoundKind,
  contributors: z.array(identifier).min(1).max(10_000),
  chunkCount: z.number().int().min(1).max(100_000),
  vectorLength: z.number().int().min(1).max(100_000_000),
});

export function toWireCoordinatorEvent(event: CoordinatorEvent): WireCoordinatorEvent {
  switch (event.type) {
    case 'job-accepted':
      return {
        jobAccepted: {
          jobSpecJson: JSON.stringify(event.job),
          resumed: event.resumed !== undefined,
          lastCompletedRound: event.resumed?.lastCompletedRound ?? 0,
          collectiveKeySha256: event.resumed?.collectiveKeySha256 ?? '',
        },
      };
    case 'round-started':
      return { roundStarted: { round: event.round, kind: toWireRoundKind(event.kind), deadlineUnixMs: event.deadlineUnixMs } };
    case 'aggregate-ready':
      return { aggregateReady: toWireAggregateSummary(event) };
    case 'job-finished':
      return { jobFinished: { roundsCompleted: event.roundsCompleted } };
    case 'job-failed':
      return { jobFailed: { reason: event.reason } };
    case 'key-setup-requested':
      return { keySetupRequested: { step: KEY_SETUP_STEP_TO_WIRE[event.step], previous: event.previous.map(toWireSignedValue) } };
    case 'key-setup-complete':
      return {
        keySetupComplete: {
          publicShares: event.publicShares.map(toWireSignedValue),
          collectiveKeySha256: event.collectiveKeySha256,
          seedReveals: (event.seedReveals ?? []).map(toWireSignedValue),
        },
      };
    case 'decryption-requested':
      return { decryptionRequested: { ...toWireAggregateSummary(event), aggregateSha256: event.aggregateSha256, committee: [...(event.committee ?? [])] } };
    case 'aggregate-decrypted':
      return { aggregateDecrypted: toWireAggregateSummary(event) };
  }
}

const coordinatorEventSchema = z.union([
  z.object({ event: z.literal('jobAccepted'), jobAccepted: z.object({
      jobSpecJson: z.string().max(1_000_000),
      resumed: z.boolean(),
      lastCompletedRound: round,
      collectiveKeySha256: z.union([sha256Hex, z.literal('')]),
    }) }),
  z.object({
    event: z.literal('roundStarted'),
    roundStarted: z.object({ round, kind: wireRoundKind, deadlineUnixMs: z.number().int().nonnegative() }),
  }),
  z.object({
    event: z.literal('aggregateReady'),
    aggregateReady: aggregateSummarySchema,
  }),
  z.object({ event: z.literal('jobFinished'), jobFinished: z.object({ roundsCompleted: round }) }),
  z.object({ event: z.literal('jobFailed'), jobFailed: z.object({ reason: z.string().max(10_000) }) }),
  z.object({
    event: z.literal('keySetupRequested'),
    keySetupRequested: z.object({ step: wireKeySetupStep, previous: z.array(signedValueSchema).max(1_000) }),
  }),
  z.object({
    event: z.literal('keySetupComplete'),
    keySetupComplete: z.object({
      publicShares: z.array(signedValueSchema).min(1).max(1_000),
      collectiveKeySha256: sha256Hex,
      seedReveals: z.array(signedValueSchema).max(1_000),
    }),
  }),
  z.object({
    event: z.literal('decryptionRequested'),
    decryptionRequested: aggregateSummarySchema.extend({ aggregateSha256: sha256Hex, committee: z.array(identifier).max(1_000) }),
  }),
  z.object({
    event: z.literal('aggregateDecrypted'),
    aggregateDecrypted: aggregateSummarySchema,
  }),
]);

export function parseCoordinatorEvent(wire: CoordinatorEvent__Output): Parsed<CoordinatorEvent> {
  const result = coordinatorEventSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'coordinator event');
  const message = result.data;
  switch (message.event) {
    case 'jobAccepted': {
      let raw: unknown;
      try {
        raw = JSON.parse(message.jobAccepted.jobSpecJson);
      } catch {
        return { success: false, reason: 'invalid coordinator event: job spec is not JSON' };
      }
      const job = jobSpecSchema.safeParse(raw);
      if (!job.success) return failure(job.error, 'job spec from the coordinator');
      const { resumed, lastCompletedRound, collectiveKeySha256 } = message.jobAccepted;
      return {
        success: true,
        data: {
          type: 'job-accepted',
          job: job.data,
          resumed: resumed ? { lastCompletedRound, collectiveKeySha256: collectiveKeySha256 || undefined } : undefined,
        },
      };
    }
    case 'roundStarted':
      return {
        success: true,
        data: {
          type: 'round-started',
          round: message.roundStarted.round,
          kind: fromWireRoundKind(message.roundStarted.kind),
          deadlineUnixMs: message.roundStarted.deadlineUnixMs,
        },
      };
    case 'aggregateReady':
      return {
        success: true,
        data: { type: 'aggregate-ready', ...message.aggregateReady, kind: fromWireRoundKind(message.aggregateReady.kind) },
      };
    case 'jobFinished':
      return { success: true, data: { type: 'job-finished', roundsCompleted: message.jobFinished.roundsCompleted } };
    case 'jobFailed':
      return { success: true, data: { type: 'job-failed', reason: message.jobFailed.reason } };
    case 'keySetupRequested':
      return {
        success: true,
        data: { type: 'key-setup-requested', step: fromWireKeySetupStep(message.keySetupRequested.step), previous: message.keySetupRequested.previous },
      };
    case 'keySetupComplete': {
      const { seedReveals, ...complete } = message.keySetupComplete;
      return { success: true, data: { type: 'key-setup-complete', ...complete, ...(seedReveals.length > 0 ? { seedReveals } : {}) } };
    }
    case 'decryptionRequested': {
      const { committee, ...request } = message.decryptionRequested;
      return {
        success: true,
        data: { type: 'decryption-requested', ...request, kind: fromWireRoundKind(request.kind), ...(committee.length > 0 ? { committee } : {}) },
      };
    }
    case 'aggregateDecrypted':
      return {
        success: true,
        data: { type: 'aggregate-decrypted', ...message.aggregateDecrypted, kind: fromWireRoundKind(message.aggregateDecrypted.kind) },
      };
  }
}

// --- UpdateChunk (participant -> coordinator)
export function toWireUpdateChunk(chunk: UpdateChunk): WireUpdateChunk {
  return {
    jobId: chunk.jobId,
    participantId: chunk.participantId,
    round: chunk.round,
    chunkIndex: chunk.chunkIndex,
    ciphertext: Buffer.from(chunk.ciphertext.buffer, chunk.ciphertext.byteOffset, chunk.ciphertext.byteLength),
    metadata: chunk.metadata ? { ...chunk.metadata, kind: toWireRoundKind(chunk.metadata.kind) } : null,
    updateSignature: chunk.updateSignature ? toBuffer(chunk.updateSignature) : Buffer.alloc(0),
    nonce: chunk.chunkIndex === 0 ? freshNonce(chunk.nonce) : Buffer.alloc(0),
  };
}
const updateChunkSchema = z.object({
  jobId: identifier,
  participantId: identifier,
  round,
  chunkIndex: z.number().int().min(0).max(100_000),
  ciphertext: bytes,
  metadata: z
    .object({
      kind: wireRoundKind,
      vectorLength: z.number().int().min(1).max(100_000_000),
      chunkCount: z.number().int().min(1).max(100_000),
    })
    .nullable(),
  updateSignature: z.instanceof(Uint8Array).refine((value) => value.length === 0 || value.length === 64, 'is not a 64-byte Ed25519 signature'),
  nonce: chunkNonce,
}).superRefine(nonceOnFirstChunk);
export function parseUpdateChunk(wire: UpdateChunk__Output): Parsed<UpdateChunk> {
  const malformed = undecodable(wire, 'update chunk');
  if (malformed) return malformed;
  const result = updateChunkSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'update chunk');
  const { metadata, updateSignature, nonce: chunkNonceBytes, ...rest } = result.data;
  return {
    success: true,
    data: {
      ...rest,
      metadata: metadata ? { ...metadata, kind: fromWireRoundKind(metadata.kind) } : undefined,
      updateSignature: updateSignature.length > 0 ? updateSignature : undefined,
      nonce: chunkNonceBytes.length > 0 ? chunkNonceBytes : undefined,
    },
  };
}

// --- FetchAggregateRequest (participant -> coordinator)
export function toWireFetchAggregateRequest(request: FetchAggregateRequest): WireFetchAggregateRequest {
  return { ...request, kind: toWireRoundKind(request.kind), chunkIndices: [...(request.chunkIndices ?? [])] };
}
const fetchAggregateRequestSchema = z.object({
  jobId: identifier,
  participantId: identifier,
  round,
  kind: wireRoundKind,
  chunkIndices: z
    .array(z.number().int().min(0).max(100_000))
    .max(100_000)
    .refine((indices) => new Set(indices).size === indices.length, 'chunk indices repeat'),
});
export function parseFetchAggregateRequest(wire: FetchAggregateRequest__Output): Parsed<FetchAggregateRequest> {
  const malformed = undecodable(wire, 'aggregate request');
  if (malformed) return malformed;
  const result = fetchAggregateRequestSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'aggregate request');
  const { chunkIndices, ...rest } = result.data;
  return { success: true, data: { ...rest, kind: fromWireRoundKind(rest.kind), ...(chunkIndices.length > 0 ? { chunkIndices } : {}) } };
}

// --- AggregateChunk (coordinator -> participant)
export function toWireAggregateChunk(round: number, chunkIndex: number, ciphertext: Uint8Array): WireAggregateChunk {
  return { round, chunkIndex, ciphertext: Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength) };
}
const aggregateChunkSchema = z.object({ round, chunkIndex: z.number().int().min(0).max(100_000), ciphertext: bytes });
export function parseAggregateChunk(wire: AggregateChunk__Output): Parsed<{ round: number; chunkIndex: number; ciphertext: Uint8Array }> {
  return parsed(aggregateChunkSchema.safeParse(wire), 'aggregate chunk');
}

// --- EvaluationReport (participant -> coordinator)
export function toWireEvaluationReport(report: EvaluationReport): WireEvaluationReport {
  return { ...report, nonce: freshNonce(report.nonce) };
}
const evaluationReportSchema = z
  .object({
    jobId: identifier,
    participantId: identifier,
    round,
    evaluationCount: z.number().int().min(0).max(1_000_000_000),
    auc: z.number().min(0).max(1),
    loss: z.number().min(0).max(1e6),
    totalSamples: z.number().int().min(0).max(1e12),
    meanTrainingLoss: z.number().min(0).max(1e6),
    nonce,
  });
export function parseEvaluationReport(wire: EvaluationReport__Output): Parsed<EvaluationReport> {
  const malformed = undecodable(wire, 'evaluation report');
  if (malformed) return malformed;
  return parsed(evaluationReportSchema.safeParse(wire), 'evaluation report');
}
