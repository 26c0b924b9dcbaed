/** Wire mapping of threshold custody's messages (the rest of the pairs are in wire-mapping.ts). */
import { z } from 'zod';
import type { KeySetupMessage as WireKeySetupMessage, KeySetupMessage__Output } from '../../proto/generated/hefl/v1/KeySetupMessage.js';
import type { DecryptionShareChunk as WireDecryptionShareChunk, DecryptionShareChunk__Output } from '../../proto/generated/hefl/v1/DecryptionShareChunk.js';
import type { DecryptedChunk as WireDecryptedChunk, DecryptedChunk__Output } from '../../proto/generated/hefl/v1/DecryptedChunk.js';
import type { ContributionChunk as WireContributionChunk, ContributionChunk__Output } from '../../proto/generated/hefl/v1/ContributionChunk.js';
import { type ContributionChunk, type DecryptedChunk, type DecryptionShareChunk, type KeySetupMessage, type Parsed } from './federation-messages.js';
import { identifier, round, bytes, wireKeySetupStep, KEY_SETUP_STEP_TO_WIRE, fromWireKeySetupStep, signedValueSchema, sha256Hex, toBuffer, failure, undecodable, nonce, chunkNonce, freshNonce, nonceOnFirstChunk } from './wire-primitives.js';

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
    committeeSha256: chunk.committeeSha256 ? toBuffer(chunk.committeeSha256) : Buffer.alloc(0),
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
  committeeSha256: z.instanceof(Uint8Array).refine((value) => value.length === 0 || value.length === 32, 'is not a 32-byte SHA-256 digest'),
}).superRefine(nonceOnFirstChunk).superRefine((chunk, ctx) => {
  if ((chunk.chunkIndex === 0) !== (chunk.contributorsSha256.length === 32)) {
    ctx.addIssue({ code: 'custom', path: ['contributorsSha256'], message: 'chunk 0, and only chunk 0, names the contributor set' });
  }
  if (chunk.chunkIndex !== 0 && chunk.committeeSha256.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['committeeSha256'], message: 'only chunk 0 names the committee' });
  }
});
export function parseDecryptionShareChunk(wire: DecryptionShareChunk__Output): Parsed<DecryptionShareChunk> {
  const malformed = undecodable(wire, 'decryption share chunk');
  if (malformed) return malformed;
  const result = decryptionShareChunkSchema.safeParse(wire);
  if (!result.success) return failure(result.error, 'decryption share chunk');
  const { nonce: chunkNonceBytes, contributorsSha256, committeeSha256, ...rest } = result.data;
  return {
    success: true,
    data: {
      ...rest,
      aggregateSha256: rest.aggregateSha256 || undefined,
      nonce: chunkNonceBytes.length > 0 ? chunkNonceBytes : undefined,
      contributorsSha256: contributorsSha256.length > 0 ? contributorsSha256 : undefined,
      ...(committeeSha256.length > 0 ? { committeeSha256 } : {}),
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
