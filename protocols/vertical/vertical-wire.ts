import { z } from 'zod';
import type { VerticalChunk, VerticalChunk__Output } from '../../proto/generated/hefl/v1/VerticalChunk.js';
import type { VerticalAddress as WireVerticalAddress } from '../../proto/generated/hefl/v1/VerticalAddress.js';
import type { VerticalFetchRequest, VerticalFetchRequest__Output } from '../../proto/generated/hefl/v1/VerticalFetchRequest.js';
import type { Parsed } from '../wire/federation-messages.js';
import { freshNonce, identifier, NONCE_BYTES, toBuffer, undecodable } from '../wire/wire-primitives.js';
import { COORDINATOR_SENDER, fromWireKind, toWireKind, type VerticalAddress } from './vertical-address.js';
import { payloadDigest } from './vertical-signing.js';

/** One vertical protocol message, whole (the wire carries it in chunks). */
export interface VerticalMessage {
  readonly address: VerticalAddress;
  readonly payload: Uint8Array;
  /** Ed25519 over (job, address, payload SHA-256); empty for messages the coordinator makes. */
  readonly signature: Uint8Array;
}

/** Payload bytes per chunk: well under gRPC's 4 MiB default message size. */
export const VERTICAL_CHUNK_BYTES = 2 * 1024 * 1024;
/** No vertical message is larger (a padded PSI list of 8 million ids). */
export const MAX_VERTICAL_PAYLOAD_BYTES = 256 * 1024 * 1024;

const partyOrEmpty = z.union([z.literal(''), identifier]);
const sender = z.union([z.literal(COORDINATOR_SENDER), identifier]);
const count = z.number().int().min(0).max(1_000_000);

function parseAddress(wire: WireVerticalAddress | null | undefined, ctx: z.RefinementCtx): VerticalAddress | undefined {
  if (!wire) {
    ctx.addIssue({ code: 'custom', path: ['address'], message: 'is missing' });
    return undefined;
  }
  const kind = fromWireKind(String(wire.kind ?? ''));
  if (!kind) {
    ctx.addIssue({ code: 'custom', path: ['address', 'kind'], message: `"${String(wire.kind)}" is not a vertical message kind` });
    return undefined;
  }
  const fields = z
    .strictObject({ epoch: count, batch: count, owner: partyOrEmpty, hop: z.number().int().min(0).max(64), sender, recipient: partyOrEmpty })
    .safeParse({ epoch: wire.epoch ?? 0, batch: wire.batch ?? 0, owner: wire.owner ?? '', hop: wire.hop ?? 0, sender: wire.sender ?? '', recipient: wire.recipient ?? '' });
  if (!fields.success) {
    for (const issue of fields.error.issues) ctx.addIssue({ code: 'custom', path: ['address', ...issue.path.map(String)], message: issue.message });
    return undefined;
  }
  return { kind, ...fields.data };
}

export function toWireAddress(address: VerticalAddress): WireVerticalAddress {
  return { ...address, kind: toWireKind(address.kind) };
}

/** Splits a message into wire chunks; chunk 0 carries the payload hash, the signature and a fresh nonce. */
export function toVerticalChunks(jobId: string, message: VerticalMessage, nonce?: Uint8Array): VerticalChunk[] {
  const chunkCount = Math.max(1, Math.ceil(message.payload.length / VERTICAL_CHUNK_BYTES));
  const address = toWireAddress(message.address);
  return Array.from({ length: chunkCount }, (_, chunkIndex) => ({
    jobId,
    address,
    chunkIndex,
    chunkCount,
    payload: toBuffer(message.payload.subarray(chunkIndex * VERTICAL_CHUNK_BYTES, (chunkIndex + 1) * VERTICAL_CHUNK_BYTES)),
    // Later chunks carry these fields empty, set explicitly, so a decoded chunk re-encodes to the same bytes.
    ...(chunkIndex === 0
      ? { payloadSha256: payloadDigest(message.payload), signature: toBuffer(message.signature), nonce: freshNonce(nonce) }
      : { payloadSha256: Buffer.alloc(0), signature: Buffer.alloc(0), nonce: Buffer.alloc(0) }),
  }));
}

export interface ParsedVerticalChunk {
  readonly jobId: string;
  readonly address: VerticalAddress;
  readonly chunkIndex: number;
  readonly chunkCount: number;
  readonly payload: Uint8Array;
  readonly payloadSha256: Uint8Array;
  readonly signature: Uint8Array;
  readonly nonce: Uint8Array;
}

/** One chunk, checked alone (the egress guard judges each chunk as it leaves). */
export function parseVerticalChunk(wire: VerticalChunk__Output): Parsed<ParsedVerticalChunk> {
  const bad = undecodable(wire, 'VerticalChunk');
  if (bad) return bad;
  let address: VerticalAddress | undefined;
  const result = z
    .object({
      jobId: identifier,
      address: z.unknown(),
      chunkIndex: count,
      chunkCount: z.number().int().min(1).max(Math.ceil(MAX_VERTICAL_PAYLOAD_BYTES / VERTICAL_CHUNK_BYTES)),
      payload: z.instanceof(Uint8Array).refine((value) => value.length <= VERTICAL_CHUNK_BYTES, `exceeds ${VERTICAL_CHUNK_BYTES} bytes`),
      payloadSha256: z.instanceof(Uint8Array),
      signature: z.instanceof(Uint8Array),
      nonce: z.instanceof(Uint8Array),
    })
    .superRefine((chunk, ctx) => {
      address = parseAddress(chunk.address as WireVerticalAddress | null, ctx);
      if (chunk.chunkIndex >= chunk.chunkCount) ctx.addIssue({ code: 'custom', path: ['chunkIndex'], message: `is ${chunk.chunkIndex} of ${chunk.chunkCount} chunks` });
      const first = chunk.chunkIndex === 0;
      if (first ? chunk.payloadSha256.length !== 32 : chunk.payloadSha256.length !== 0) ctx.addIssue({ code: 'custom', path: ['payloadSha256'], message: first ? 'chunk 0 must carry the 32-byte payload SHA-256' : 'only chunk 0 carries it' });
      if (first ? ![0, 64].includes(chunk.signature.length) : chunk.signature.length !== 0) ctx.addIssue({ code: 'custom', path: ['signature'], message: first ? 'is not a 64-byte Ed25519 signature' : 'only chunk 0 carries it' });
      if (first ? chunk.nonce.length !== NONCE_BYTES : chunk.nonce.length !== 0) ctx.addIssue({ code: 'custom', path: ['nonce'], message: first ? `chunk 0 must carry a ${NONCE_BYTES}-byte nonce` : 'only chunk 0 carries a nonce' });
      if (chunk.chunkIndex < chunk.chunkCount - 1 && chunk.payload.length !== VERTICAL_CHUNK_BYTES) ctx.addIssue({ code: 'custom', path: ['payload'], message: 'only the last chunk may be short' });
    })
    .safeParse(wire);
  if (!result.success || !address) {
    const reasons = result.success ? ['address is invalid'] : result.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'VerticalChunk'}: ${issue.message}`);
    return { success: false, reason: `invalid VerticalChunk: ${reasons.join('; ')}` };
  }
  return { success: true, data: { ...result.data, address } };
}

/** Reassembles the chunks of one message, checking order, address, job and the payload hash. */
export function assembleVerticalMessage(chunks: readonly ParsedVerticalChunk[], jobId: string): Parsed<VerticalMessage & { nonce: Uint8Array }> {
  const first = chunks[0];
  if (!first) return { success: false, reason: 'a vertical message arrived without any chunk' };
  if (first.jobId !== jobId) return { success: false, reason: `the message is for job "${first.jobId}", not "${jobId}"` };
  if (chunks.length !== first.chunkCount) return { success: false, reason: `the message announced ${first.chunkCount} chunks and ${chunks.length} arrived` };
  const key = JSON.stringify(first.address);
  for (const [index, chunk] of chunks.entries()) {
    if (chunk.chunkIndex !== index) return { success: false, reason: `chunk ${chunk.chunkIndex} arrived where chunk ${index} belongs` };
    if (chunk.chunkCount !== first.chunkCount || chunk.jobId !== jobId || JSON.stringify(chunk.address) !== key) return { success: false, reason: `chunk ${index} belongs to another message` };
  }
  const payload = chunks.length === 1 ? first.payload : Buffer.concat(chunks.map((chunk) => chunk.payload));
  if (payload.length > MAX_VERTICAL_PAYLOAD_BYTES) return { success: false, reason: `the payload exceeds ${MAX_VERTICAL_PAYLOAD_BYTES} bytes` };
  if (!payloadDigest(payload).equals(first.payloadSha256)) return { success: false, reason: 'the payload does not match its SHA-256' };
  return { success: true, data: { address: first.address, payload, signature: first.signature, nonce: first.nonce } };
}

export function toWireFetchRequest(jobId: string, participantId: string, address: VerticalAddress, nonce?: Uint8Array): VerticalFetchRequest {
  return { jobId, participantId, address: toWireAddress(address), nonce: freshNonce(nonce) };
}

export function parseVerticalFetchRequest(wire: VerticalFetchRequest__Output): Parsed<{ jobId: string; participantId: string; address: VerticalAddress; nonce: Uint8Array }> {
  const bad = undecodable(wire, 'VerticalFetchRequest');
  if (bad) return bad;
  let address: VerticalAddress | undefined;
  const result = z
    .object({ jobId: identifier, participantId: identifier, address: z.unknown(), nonce: z.instanceof(Uint8Array).refine((value) => value.length === NONCE_BYTES, `is not a ${NONCE_BYTES}-byte nonce`) })
    .superRefine((request, ctx) => {
      address = parseAddress(request.address as WireVerticalAddress | null, ctx);
    })
    .safeParse(wire);
  if (!result.success || !address) {
    const reasons = result.success ? ['address is invalid'] : result.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'VerticalFetchRequest'}: ${issue.message}`);
    return { success: false, reason: `invalid VerticalFetchRequest: ${reasons.join('; ')}` };
  }
  return { success: true, data: { jobId: result.data.jobId, participantId: result.data.participantId, address, nonce: result.data.nonce } };
}
