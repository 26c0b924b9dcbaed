import type { Logger } from 'pino';
import { HeflError } from '../../protocols/errors.js';
import { classifyVerticalPayload, type VerticalPayloadContext } from '../../protocols/ledger/classify-vertical-payload.js';
import type { LedgerWriter } from '../../protocols/ledger/ledger-writer.js';
import { scalarFields } from '../../protocols/ledger/scalar-fields.js';
import { addressKey } from '../../protocols/vertical/vertical-address.js';
import { payloadDigest } from '../../protocols/vertical/vertical-signing.js';
import { parseVerticalChunk, parseVerticalFetchRequest, VERTICAL_CHUNK_BYTES, type VerticalMessage } from '../../protocols/vertical/vertical-wire.js';
import { parseJoinRequest } from '../../protocols/wire/wire-mapping.js';
import { loadVerticalService } from '../../proto/load-vertical-service.js';
import type { VerticalEgressRecord } from './vertical-connection.js';

/**
 * The only way out of a party of a vertical job. Each whole message is judged first (approve):
 * its payload must be what its kind allows (classify-vertical-payload.ts); a sealed message's content
 * is judged before sealing. Then every serialized request is checked as it reaches the socket (check):
 * a chunk must be the canonical encoding of a slice of an approved message, and is written to the
 * signed ledger; anything else is refused, recorded as refused, and never sent.
 */
export class VerticalEgressGuard {
  private readonly approved = new Map<string, { message: VerticalMessage; classification: 'ciphertext' | 'metadata' | 'plaintext'; sha256: string }>();

  private context: VerticalPayloadContext;
  /** The job of this node's first request; every later request must name the same. */
  private jobId: string | undefined;

  constructor(
    private readonly ledger: LedgerWriter,
    context: VerticalPayloadContext,
    private readonly logger?: Logger,
  ) {
    this.context = context;
  }

  /** The job's cap on one party's products per batch, known once the job is accepted. */
  setMaxFeaturesPerParty(maxFeaturesPerParty: number): void {
    this.context = { ...this.context, maxFeaturesPerParty };
  }

  approve(message: VerticalMessage, sealedInner?: Uint8Array): void {
    const verdict = classifyVerticalPayload(message, this.context, sealedInner);
    if ('refused' in verdict) this.refuse(`VerticalMessage/${message.address.kind}`, message.payload, verdict.refused);
    else this.approved.set(addressKey(message.address), { message, classification: verdict.classification, sha256: payloadDigest(message.payload).toString('hex') });
  }

  /** The connection's onEgress hook: throws (nothing is sent) unless the bytes belong to an approved message. */
  check(record: VerticalEgressRecord): void {
    const service = loadVerticalService();
    const method = service[record.method];
    let decoded: object;
    try {
      decoded = method.requestDeserialize(Buffer.from(record.bytes)) as object;
    } catch (error) {
      return this.refuse(record.method, record.bytes, `not a valid ${record.method} message (${error instanceof Error ? error.message : String(error)})`);
    }
    if (Buffer.compare(method.requestSerialize(decoded as never), Buffer.from(record.bytes)) !== 0) {
      return this.refuse(record.method, record.bytes, `the ${record.method} message carries bytes outside its declared fields`);
    }
    // Join and fetch requests are checked field by field too (a 16-byte nonce, identifiers), and every
    // request of this node names one job: the first one it sent. Unchecked, a nonce or a job id could carry anything.
    const parsed = record.method === 'JoinVertical' ? parseJoinRequest(decoded as never) : record.method === 'FetchVertical' ? parseVerticalFetchRequest(decoded as never) : parseVerticalChunk(decoded as never);
    if (!parsed.success) return this.refuse(record.method, record.bytes, parsed.reason);
    this.jobId ??= parsed.data.jobId;
    if (parsed.data.jobId !== this.jobId) return this.refuse(record.method, record.bytes, `the ${record.method} message names job "${parsed.data.jobId}"; this node's requests are for "${this.jobId}"`);
    if (record.method !== 'PostVertical') {
      this.ledger.recordBytes('egress', record.method, record.bytes, 'metadata', undefined, undefined, scalarFields(decoded as Record<string, unknown>));
      return;
    }
    const chunk = parseVerticalChunk(decoded as never);
    if (!chunk.success) return this.refuse(record.method, record.bytes, chunk.reason);
    const entry = this.approved.get(addressKey(chunk.data.address));
    if (!entry) return this.refuse(record.method, record.bytes, `${addressKey(chunk.data.address)} was never approved by the egress guard`);
    // Chunk 0's hash and signature and every chunk's count are part of the canonical encoding too:
    // unchecked, they would be 96 bytes per message (and a count) that no judge ever looked at.
    const expectedCount = Math.max(1, Math.ceil(entry.message.payload.length / VERTICAL_CHUNK_BYTES));
    if (chunk.data.chunkCount !== expectedCount) {
      return this.refuse(record.method, record.bytes, `chunk ${chunk.data.chunkIndex} of ${addressKey(chunk.data.address)} announces ${chunk.data.chunkCount} chunks; the approved message has ${expectedCount}`);
    }
    if (chunk.data.chunkIndex === 0 && (Buffer.from(chunk.data.payloadSha256).toString('hex') !== entry.sha256 || Buffer.compare(Buffer.from(chunk.data.signature), Buffer.from(entry.message.signature)) !== 0)) {
      return this.refuse(record.method, record.bytes, `chunk 0 of ${addressKey(chunk.data.address)} does not carry the approved message's payload hash and signature`);
    }
    const offset = chunk.data.chunkIndex * VERTICAL_CHUNK_BYTES;
    const slice = entry.message.payload.subarray(offset, offset + VERTICAL_CHUNK_BYTES);
    if (Buffer.compare(Buffer.from(slice), Buffer.from(chunk.data.payload)) !== 0) {
      return this.refuse(record.method, record.bytes, `chunk ${chunk.data.chunkIndex} of ${addressKey(chunk.data.address)} is not the approved payload`);
    }
    this.ledger.recordBytes('egress', record.method, record.bytes, entry.classification, undefined, undefined, {
      address: addressKey(chunk.data.address),
      kind: chunk.data.address.kind,
      chunkIndex: chunk.data.chunkIndex,
      chunkCount: chunk.data.chunkCount,
      payloadSha256: entry.sha256,
    });
    if (chunk.data.chunkIndex === chunk.data.chunkCount - 1) this.approved.delete(addressKey(chunk.data.address));
  }

  private refuse(messageType: string, bytes: Uint8Array, reason: string): never {
    this.ledger.recordBytes('egress', messageType, bytes, 'refused', reason);
    this.logger?.error({ messageType, reason }, 'egress guard refused a message; it was not sent');
    throw new HeflError('PROTOCOL_VIOLATION', `egress guard refused a ${messageType} message: ${reason}`);
  }
}
