/** The zod primitives and helpers every wire mapping shares (see wire-mapping.ts). */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { RoundKind as WireRoundKind } from '../../proto/generated/hefl/v1/RoundKind.js';
import type { KeySetupStep as WireKeySetupStep } from '../../proto/generated/hefl/v1/KeySetupStep.js';
import type { SignedValue as WireSignedValue } from '../../proto/generated/hefl/v1/SignedValue.js';
import { isMalformedMessage } from '../../proto/load-federation-service.js';
import { MAX_CHUNK_BYTES, type KeySetupStep, type Parsed, type RoundKind, type SignedValue } from './federation-messages.js';

export const identifier = z.string().min(1).max(63).regex(/^[a-z0-9][a-z0-9._-]*$/);
export const round = z.number().int().min(0).max(1_000_000);
export const bytes = z
  .instanceof(Uint8Array)
  .refine((value) => value.length > 0, 'is empty')
  .refine((value) => value.length <= MAX_CHUNK_BYTES, `exceeds ${MAX_CHUNK_BYTES} bytes`);
export const wireRoundKind = z.enum(['ROUND_KIND_STATISTICS', 'ROUND_KIND_TRAINING', 'ROUND_KIND_EVALUATION']);

export const wireKeySetupStep = z.enum([
  'KEY_SETUP_STEP_SEED_COMMITMENT',
  'KEY_SETUP_STEP_SEED_REVEAL',
  'KEY_SETUP_STEP_SHARE_COMMITMENT',
  'KEY_SETUP_STEP_PUBLIC_SHARE',
  'KEY_SETUP_STEP_SEALING_KEY',
  'KEY_SETUP_STEP_SHAMIR_SHARE',
  'KEY_SETUP_STEP_CANARY_SHARE',
]);
export const KEY_SETUP_STEP_TO_WIRE: Record<KeySetupStep, WireKeySetupStep> = {
  'seed-commitment': 'KEY_SETUP_STEP_SEED_COMMITMENT',
  'seed-reveal': 'KEY_SETUP_STEP_SEED_REVEAL',
  'share-commitment': 'KEY_SETUP_STEP_SHARE_COMMITMENT',
  'public-share': 'KEY_SETUP_STEP_PUBLIC_SHARE',
  'sealing-key': 'KEY_SETUP_STEP_SEALING_KEY',
  'shamir-share': 'KEY_SETUP_STEP_SHAMIR_SHARE',
  'canary-share': 'KEY_SETUP_STEP_CANARY_SHARE',
};
export function fromWireKeySetupStep(step: z.infer<typeof wireKeySetupStep>): KeySetupStep {
  const entry = Object.entries(KEY_SETUP_STEP_TO_WIRE).find(([, wire]) => wire === step);
  return (entry?.[0] ?? 'seed-commitment') as KeySetupStep;
}
/** Signed key-setup values: a public-key share is ~200 KB; commitments and seeds are 32 bytes. */
export const signedValueSchema = z.object({
  participantId: z.string().min(1).max(63).regex(/^[a-z0-9][a-z0-9._-]*$/),
  value: z.instanceof(Uint8Array).refine((value) => value.length > 0 && value.length <= MAX_CHUNK_BYTES, 'has a bad size'),
  signature: z.instanceof(Uint8Array).refine((value) => value.length === 64, 'is not a 64-byte Ed25519 signature'),
});
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
export function toWireSignedValue(value: SignedValue): WireSignedValue {
  return { participantId: value.participantId, value: toBuffer(value.value), signature: toBuffer(value.signature) };
}

export const ROUND_KIND_TO_WIRE: Record<RoundKind, z.infer<typeof wireRoundKind>> = {
  statistics: 'ROUND_KIND_STATISTICS',
  training: 'ROUND_KIND_TRAINING',
  evaluation: 'ROUND_KIND_EVALUATION',
};
export function fromWireRoundKind(kind: z.infer<typeof wireRoundKind>): RoundKind {
  return kind === 'ROUND_KIND_STATISTICS' ? 'statistics' : kind === 'ROUND_KIND_TRAINING' ? 'training' : 'evaluation';
}

export function toWireRoundKind(kind: RoundKind): WireRoundKind {
  return ROUND_KIND_TO_WIRE[kind];
}

export function failure(error: z.ZodError, what: string): { success: false; reason: string } {
  const issues = error.issues.map((issue) => `${issue.path.map(String).join('.') || what}: ${issue.message}`);
  return { success: false, reason: `invalid ${what}: ${issues.join('; ')}` };
}

/** Bytes that did not even decode as protobuf (see proto/load-federation-service.ts). */
export function undecodable(wire: unknown, what: string): { success: false; reason: string } | undefined {
  return isMalformedMessage(wire) ? { success: false, reason: `malformed ${what}: not a valid protobuf message (${wire.malformedMessage})` } : undefined;
}

// Replay protection: state-changing messages carry 16 fresh random bytes; the coordinator refuses a
// nonce it has already seen from the same sender. Stamped here, on the way out, unless given.
export const NONCE_BYTES = 16;
export const nonce = z.instanceof(Uint8Array).refine((value) => value.length === NONCE_BYTES, `is not a ${NONCE_BYTES}-byte nonce`);
/** Streams carry the nonce on chunk 0 only. */
export const chunkNonce = z.instanceof(Uint8Array).refine((value) => value.length === 0 || value.length === NONCE_BYTES, `is not a ${NONCE_BYTES}-byte nonce`);
export function freshNonce(given: Uint8Array | undefined): Buffer {
  return given ? toBuffer(given) : randomBytes(NONCE_BYTES);
}
export function nonceOnFirstChunk(chunk: { chunkIndex: number; nonce: Uint8Array }, ctx: z.RefinementCtx): void {
  if ((chunk.chunkIndex === 0) !== (chunk.nonce.length === NONCE_BYTES)) {
    ctx.addIssue({ code: 'custom', path: ['nonce'], message: chunk.chunkIndex === 0 ? 'chunk 0 must carry a 16-byte nonce' : 'only chunk 0 carries a nonce' });
  }
}

export function parsed<T>(result: z.ZodSafeParseResult<T>, what: string): Parsed<T> {
  return result.success ? { success: true, data: result.data } : failure(result.error, what);
}
