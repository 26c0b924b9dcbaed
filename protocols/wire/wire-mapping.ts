/**
 * The one place that converts between generated wire types (proto/generated) and domain messages.
 * Every inbound message is parsed with zod here (safeParse, never trusting the peer); outbound
 * messages are built here. Pairs: to<Wire>/parse<Domain>.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AggregateChunk__Output, AggregateChunk as WireAggregateChunk } from '../../proto/generated/hefl/v1/AggregateChunk.js';
import type { CoordinatorEvent as WireCoordinatorEvent, CoordinatorEvent__Output } from '../../proto/generated/hefl/v1/CoordinatorEvent.js';
import type { EvaluationReport as WireEvaluationReport, EvaluationReport__Output } from '../../proto/generated/hefl/v1/EvaluationReport.js';
import type { FetchAggregateRequest as WireFetchAggregateRequest, FetchAggregateRequest__Output } from '../../proto/generated/hefl/v1/FetchAggregateRequest.js';
import type { JoinRequest as WireJoinRequest, JoinRequest__Output } from '../../proto/generated/hefl/v1/JoinRequest.js';
import type { RoundKind as WireRoundKind } from '../../proto/generated/hefl/v1/RoundKind.js';
import type { UpdateChunk as WireUpdateChunk, UpdateChunk__Output } from '../../proto/generated/hefl/v1/UpdateChunk.js';
import type { KeySetupMessage as WireKeySetupMessage, KeySetupMessage__Output } from '../../proto/generated/hefl/v1/KeySetupMessage.js';
import type { KeySetupStep as WireKeySetupStep } from '../../proto/generated/hefl/v1/KeySetupStep.js';
import type { SignedValue as WireSignedValue } from '../../proto/generated/hefl/v1/SignedValue.js';
import type { DecryptionShareChunk as WireDecryptionShareChunk, DecryptionShareChunk__Output } from '../../proto/generated/hefl/v1/DecryptionShareChunk.js';
import type { DecryptedChunk as WireDecryptedChunk, DecryptedChunk__Output } from '../../proto/generated/hefl/v1/DecryptedChunk.js';
import type { ContributionChunk as WireContributionChunk, ContributionChunk__Output } from '../../proto/generated/hefl/v1/ContributionChunk.js';
import { isMalformedMessage } from '../../proto/load-federation-service.js';
import { jobSpecSchema } from '../job/job-spec.js';
import {
  MAX_CHUNK_BYTES,
  type ContributionChunk,
  type CoordinatorEvent,
  type DecryptedChunk,
  type DecryptionShareChunk,
  type EvaluationReport,
  type KeySetupMessage,
  type KeySetupStep,
  type SignedValue,
  type FetchAggregateRequest,
  type JoinRequest,
  type Parsed,
  type RoundKind,
  type UpdateChunk,
} from './federation-messages.js';

const identifier = z.string().min(1).max(63).regex(/^[a-z0-9][a-z0-9._-]*$/);
const round = z.number().int().min(0).max(1_000_000);
const bytes = z
  .instanceof(Uint8Array)
  .refine((value) => value.length > 0, 'is empty')
  .refine((value) => value.length <= MAX_CHUNK_BYTES, `exceeds ${MAX_CHUNK_BYTES} bytes`);
const wireRoundKind = z.enum(['ROUND_KIND_STATISTICS', 'ROUND_KIND_TRAINING', 'ROUND_KIND_EVALUATION']);

const wireKeySetupStep = z.enum([
  'KEY_SETUP_STEP_SEED_COMMITMENT',
  'KEY_SETUP_STEP_SEED_REVEAL',
  'KEY_SETUP_STEP_SHARE_COMMITMENT',
  'KEY_SETUP_STEP_PUBLIC_SHARE',
]);
const KEY_SETUP_STEP_TO_WIRE: Record<KeySetupStep, WireKeySetupStep> = {
  'seed-commitment': 'KEY_SETUP_STEP_SEED_COMMITMENT',
  'seed-reveal': 'KEY_SETUP_STEP_SEED_REVEAL',
  'share-commitment': 'KEY_SETUP_STEP_SHARE_COMMITMENT',
  'public-share': 'KEY_SETUP_STEP_PUBLIC_SHARE',
};
function fromWireKeySetupStep(step: z.infer<typeof wireKeySetupStep>): KeySetupStep {
  const entry = Object.entries(KEY_SETUP_STEP_TO_WIRE).find(([, wire]) => wire === step);
  return (entry?.[0] ?? 'seed-commitment') as KeySetupStep;
}
/** Signed key-setup values: a public-key share is ~200 KB; commitments and seeds are 32 bytes. */
const signedValueSchema = z.object({
  participantId: z.string().min(1).max(63).regex(/^[a-z0-9][a-z0-9._-]*$/),
  value: z.instanceof(Uint8Array).refine((value) => value.length > 0 && value.length <= MAX_CHUNK_BYTES, 'has a bad size'),
  signature: z.instanceof(Uint8Array).refine((value) => value.length === 64, 'is not a 64-byte Ed25519 signature'),
});
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
function toWireSignedValue(value: SignedValue): WireSignedValue {
  return { participantId: value.participantId, value: toBuffer(value.value), signature: toBuffer(value.signature) };
}

const ROUND_KIND_TO_WIRE: Record<RoundKind, z.infer<typeof wireRoundKind>> = {
  statistics: 'ROUND_KIND_STATISTICS',
  training: 'ROUND_KIND_TRAINING',
  evaluation: 'ROUND_KIND_EVALUATION',
};
function fromWireRoundKind(kind: z.infer<typeof wireRoundKind>): RoundKind {
  return kind === 'ROUND_KIND_STATISTICS' ? 'statistics' : kind === 'ROUND_KIND_TRAINING' ? 'training' : 'evaluation';
}

function toWireRoundKind(kind: RoundKind): WireRoundKind {
  return ROUND_KIND_TO_WIRE[kind];
}

function failure(error: z.ZodError, what: string): { success: false; reason: string } {
  const issues = error.issues.map((issue) => `${issue.path.map(String).join('.') || what}: ${issue.message}`);
  return { success: false, reason: `invalid ${what}: ${issues.join('; ')}` };
}

/** Bytes that did not even decode as protobuf (see proto/load-federation-service.ts). */
function undecodable(wire: unknown, what: string): { success: false; reason: string } | undefined {
  return isMalformedMessage(wire) ? { success: false, reason: `malformed ${what}: not a valid protobuf message (${wire.malformedMessage})` } : undefined;
}

// Replay protection: state-changing messages carry 16 fresh random bytes; the coordinator refuses a
// nonce it has already seen from the same sender. Stamped here, on the way out, unless given.
const NONCE_BYTES = 16;
const nonce = z.instanceof(Uint8Array).refine((value) => value.length === NONCE_BYTES, `is not a ${NONCE_BYTES}-byte nonce`);
/** Streams carry the nonce on chunk 0 only. */
const chunkNonce = z.instanceof(Uint8Array).refine((value) => value.length === 0 || value.length === NONCE_BYTES, `is not a ${NONCE_BYTES}-byte nonce`);
function freshNonce(given: Uint8Array | undefined): Buffer {
  return given ? toBuffer(given) : randomBytes(NONCE_BYTES);
}
function nonceOnFirstChunk(chunk: { chunkIndex: number; nonce: Uint8Array }, ctx: z.RefinementCtx): void {
  if ((chunk.chunkIndex === 0) !== (chunk.nonce.length === NONCE_BYTES)) {
    ctx.addIssue({ code: 'custom', path: ['nonce'], message: chunk.chunkIndex === 0 ? 'chunk 0 must carry a 16-byte nonce' : 'only chunk 0 carries a nonce' });
  }
}

function parsed<T>(result: z.ZodSafeParseResult<T>, what: string): Parsed<T> {
  return result.success ? { success: true, data: result.data } : failure(result.error, what);
}

// --- JoinRequest (participant -> coordinator)
export function toWireJoinRequest(request: JoinRequest): WireJoinRequest {
  const { resumeAfterRound, ...rest } = request;
  return {
    ...rest,
    nonce: freshNonce(request.nonce),
    resuming: resumeAfterRound !== undefined,
    lastAppliedRound: resumeAfterRound ?? 0,
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
});
export function parseJoinRequest(wire: JoinRequest__Output): Parsed<JoinRequest> {
  const malformed = undecodable(wire, 'join request');
  if (malformed) return malformed;
  const result = joinRequestSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'join request');
  const { resuming, lastAppliedRound, ...rest } = result.data;
  return { success: true, data: { ...rest, resumeAfterRound: resuming ? lastAppliedRound : undefined } };
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
        keySetupComplete: { publicShares: event.publicShares.map(toWireSignedValue), collectiveKeySha256: event.collectiveKeySha256 },
      };
    case 'decryption-requested':
      return { decryptionRequested: { ...toWireAggregateSummary(event), aggregateSha256: event.aggregateSha256 } };
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
    keySetupComplete: z.object({ publicShares: z.array(signedValueSchema).min(1).max(1_000), collectiveKeySha256: sha256Hex }),
  }),
  z.object({
    event: z.literal('decryptionRequested'),
    decryptionRequested: aggregateSummarySchema.extend({ aggregateSha256: sha256Hex }),
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
    case 'keySetupComplete':
      return { success: true, data: { type: 'key-setup-complete', ...message.keySetupComplete } };
    case 'decryptionRequested':
      return {
        success: true,
        data: { type: 'decryption-requested', ...message.decryptionRequested, kind: fromWireRoundKind(message.decryptionRequested.kind) },
      };
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

// --- ContributionChunk (coordinator -> participant, verifyAggregate)
export function toWireContributionChunk(chunk: ContributionChunk): WireContributionChunk {
  return {
    participantId: chunk.participantId,
    chunkIndex: chunk.chunkIndex,
    ciphertext: toBuffer(chunk.ciphertext),
    chunkCount: chunk.chunkCount,
    updateSignature: chunk.updateSignature ? toBuffer(chunk.updateSignature) : Buffer.alloc(0),
    chunkSha256s: chunk.chunkHashes ? Buffer.concat(chunk.chunkHashes.map(toBuffer)) : Buffer.alloc(0),
  };
}
const contributionChunkSchema = z.object({
  participantId: identifier,
  chunkIndex: z.number().int().min(0).max(100_000),
  ciphertext: bytes,
  chunkCount: z.number().int().min(1).max(100_000),
  updateSignature: z.instanceof(Uint8Array).refine((value) => value.length === 0 || value.length === 64, 'is not a 64-byte Ed25519 signature'),
  chunkSha256s: z.instanceof(Uint8Array).refine((value) => value.length % 32 === 0 && value.length <= 32 * 100_000, 'is not a list of 32-byte SHA-256 digests'),
}).superRefine((chunk, ctx) => {
  if (chunk.chunkSha256s.length > 0 && chunk.chunkSha256s.length !== 32 * chunk.chunkCount) {
    ctx.addIssue({ code: 'custom', path: ['chunkSha256s'], message: `lists ${chunk.chunkSha256s.length / 32} chunk hashes for ${chunk.chunkCount} chunks` });
  }
});
export function parseContributionChunk(wire: ContributionChunk__Output): Parsed<ContributionChunk> {
  const result = contributionChunkSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'contribution chunk');
  return {
    success: true,
    data: {
      participantId: result.data.participantId,
      chunkIndex: result.data.chunkIndex,
      ciphertext: result.data.ciphertext,
      chunkCount: result.data.chunkCount,
      updateSignature: result.data.updateSignature.length > 0 ? result.data.updateSignature : undefined,
      chunkHashes:
        result.data.chunkSha256s.length > 0
          ? Array.from({ length: result.data.chunkSha256s.length / 32 }, (_, index) => result.data.chunkSha256s.subarray(index * 32, index * 32 + 32))
          : undefined,
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

// --- KeySetupMessage (participant -> coordinator)
export function toWireKeySetupMessage(message: KeySetupMessage): WireKeySetupMessage {
  return {
    jobId: message.jobId,
    participantId: message.participantId,
    step: KEY_SETUP_STEP_TO_WIRE[message.step],
    value: toBuffer(message.value),
    signature: toBuffer(message.signature),
    nonce: freshNonce(message.nonce),
  };
}
const keySetupMessageSchema = z.object({
  jobId: identifier,
  participantId: identifier,
  step: wireKeySetupStep,
  value: signedValueSchema.shape.value,
  signature: signedValueSchema.shape.signature,
  nonce,
});
export function parseKeySetupMessage(wire: KeySetupMessage__Output): Parsed<KeySetupMessage> {
  const malformed = undecodable(wire, 'key-setup message');
  if (malformed) return malformed;
  const result = keySetupMessageSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'key-setup message');
  return { success: true, data: { ...result.data, step: fromWireKeySetupStep(result.data.step) } };
}

// --- DecryptionShareChunk (participant -> coordinator)
export function toWireDecryptionShareChunk(chunk: DecryptionShareChunk): WireDecryptionShareChunk {
  return {
    ...chunk,
    share: toBuffer(chunk.share),
    aggregateSha256: chunk.aggregateSha256 ?? '',
    nonce: chunk.chunkIndex === 0 ? freshNonce(chunk.nonce) : Buffer.alloc(0),
    c1Sha256: toBuffer(chunk.c1Sha256),
    contributorsSha256: chunk.contributorsSha256 ? toBuffer(chunk.contributorsSha256) : Buffer.alloc(0),
  };
}
const digestBytes = z.instanceof(Uint8Array).refine((value) => value.length === 32, 'is not a 32-byte SHA-256 digest');
const decryptionShareChunkSchema = z.object({
  jobId: identifier,
  participantId: identifier,
  round,
  chunkIndex: z.number().int().min(0).max(100_000),
  share: bytes,
  aggregateSha256: z.union([sha256Hex, z.literal('')]),
  nonce: chunkNonce,
  c1Sha256: digestBytes,
  contributorsSha256: z.instanceof(Uint8Array).refine((value) => value.length === 0 || value.length === 32, 'is not a 32-byte SHA-256 digest'),
}).superRefine(nonceOnFirstChunk).superRefine((chunk, ctx) => {
  if ((chunk.chunkIndex === 0) !== (chunk.contributorsSha256.length === 32)) {
    ctx.addIssue({ code: 'custom', path: ['contributorsSha256'], message: 'chunk 0, and only chunk 0, names the contributor set' });
  }
});
export function parseDecryptionShareChunk(wire: DecryptionShareChunk__Output): Parsed<DecryptionShareChunk> {
  const malformed = undecodable(wire, 'decryption share chunk');
  if (malformed) return malformed;
  const result = decryptionShareChunkSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'decryption share chunk');
  const { nonce: chunkNonceBytes, contributorsSha256, ...rest } = result.data;
  return {
    success: true,
    data: {
      ...rest,
      aggregateSha256: rest.aggregateSha256 || undefined,
      nonce: chunkNonceBytes.length > 0 ? chunkNonceBytes : undefined,
      contributorsSha256: contributorsSha256.length > 0 ? contributorsSha256 : undefined,
    },
  };
}

// --- DecryptedChunk (coordinator -> participant)
export function toWireDecryptedChunk(chunk: DecryptedChunk): WireDecryptedChunk {
  return { round: chunk.round, chunkIndex: chunk.chunkIndex, values: Array.from(chunk.values) };
}
const decryptedChunkSchema = z.object({
  round,
  chunkIndex: z.number().int().min(0).max(100_000),
  values: z.array(z.number()).min(1).max(65_536),
});
export function parseDecryptedChunk(wire: DecryptedChunk__Output): Parsed<DecryptedChunk> {
  const result = decryptedChunkSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'decrypted chunk');
  return { success: true, data: { ...result.data, values: Float64Array.from(result.data.values) } };
}
