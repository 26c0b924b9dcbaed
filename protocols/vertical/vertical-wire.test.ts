import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VerticalChunk, VerticalChunk__Output } from '../../proto/generated/hefl/v1/VerticalChunk.js';
import type { VerticalFetchRequest__Output } from '../../proto/generated/hefl/v1/VerticalFetchRequest.js';
import { loadVerticalService } from '../../proto/load-vertical-service.js';
import { verticalAddress, type VerticalAddress } from './vertical-address.js';
import {
  assembleVerticalMessage,
  MAX_VERTICAL_PAYLOAD_BYTES,
  parseVerticalChunk,
  parseVerticalFetchRequest,
  toVerticalChunks,
  toWireAddress,
  toWireFetchRequest,
  VERTICAL_CHUNK_BYTES,
  type ParsedVerticalChunk,
  type VerticalMessage,
} from './vertical-wire.js';

const JOB = 'job-wire';
const address = verticalAddress('forward-part', { epoch: 3, batch: 7, sender: 'insurer' });
const signature = new Uint8Array(randomBytes(64));

function message(payload: Uint8Array, at: VerticalAddress = address): VerticalMessage {
  return { address: at, payload, signature };
}

/** Serialises a chunk as gRPC would and decodes it again (the coordinator's view of it). */
function overTheWire(chunk: VerticalChunk): { bytes: Buffer; decoded: VerticalChunk__Output } {
  const method = loadVerticalService().PostVertical;
  const bytes = method.requestSerialize(chunk);
  return { bytes, decoded: method.requestDeserialize(bytes) };
}

function parsedChunks(payload: Uint8Array, at: VerticalAddress = address, jobId = JOB): ParsedVerticalChunk[] {
  return toVerticalChunks(jobId, message(payload, at)).map((chunk) => {
    const parsed = parseVerticalChunk(overTheWire(chunk).decoded);
    if (!parsed.success) throw new Error(parsed.reason);
    return parsed.data;
  });
}

function refusal<T>(result: { success: true; data: T } | { success: false; reason: string }): string {
  if (result.success) throw new Error('expected a refusal');
  return result.reason;
}

describe('vertical chunks: round trip and canonical encoding', () => {
  const sizes = [0, 1, VERTICAL_CHUNK_BYTES, Math.floor(2.5 * VERTICAL_CHUNK_BYTES)];
  for (const size of sizes) {
    it(`a ${size}-byte payload travels in ${Math.max(1, Math.ceil(size / VERTICAL_CHUNK_BYTES))} chunk(s), re-encodes byte for byte and reassembles exactly`, () => {
      const payload = new Uint8Array(randomBytes(size));
      const nonce = new Uint8Array(randomBytes(16));
      const chunks = toVerticalChunks(JOB, message(payload), nonce);
      expect(chunks).toHaveLength(Math.max(1, Math.ceil(size / VERTICAL_CHUNK_BYTES)));
      const method = loadVerticalService().PostVertical;
      const fetchMethod = loadVerticalService().FetchVertical;
      const parsed: ParsedVerticalChunk[] = [];
      for (const chunk of chunks) {
        const { bytes, decoded } = overTheWire(chunk);
        // Canonical: what the coordinator decodes re-encodes to the very bytes the party sent (the egress guard relies on it).
        expect(method.requestSerialize(decoded).equals(bytes)).toBe(true);
        // The same holds for the chunks the coordinator streams back on a fetch.
        const response = fetchMethod.responseSerialize(chunk);
        expect(fetchMethod.responseSerialize(fetchMethod.responseDeserialize(response)).equals(response)).toBe(true);
        const result = parseVerticalChunk(decoded);
        if (!result.success) throw new Error(result.reason);
        parsed.push(result.data);
      }
      const whole = assembleVerticalMessage(parsed, JOB);
      if (!whole.success) throw new Error(whole.reason);
      expect(Buffer.from(whole.data.payload).equals(Buffer.from(payload))).toBe(true);
      expect(whole.data.address).toEqual(address);
      expect(Buffer.from(whole.data.signature).equals(Buffer.from(signature))).toBe(true);
      expect(Buffer.from(whole.data.nonce).equals(Buffer.from(nonce))).toBe(true);
    });
  }
});

describe('assembleVerticalMessage refuses', () => {
  const payload = new Uint8Array(randomBytes(Math.floor(2.5 * VERTICAL_CHUNK_BYTES)));
  const chunks = parsedChunks(payload);

  it('no chunk at all', () => {
    expect(refusal(assembleVerticalMessage([], JOB))).toMatch(/without any chunk/);
  });

  it('reordered chunks', () => {
    expect(refusal(assembleVerticalMessage([chunks[0], chunks[2], chunks[1]] as ParsedVerticalChunk[], JOB))).toMatch(/chunk 2 arrived where chunk 1 belongs/);
  });

  it('a missing chunk', () => {
    expect(refusal(assembleVerticalMessage(chunks.slice(0, 2), JOB))).toMatch(/announced 3 chunks and 2 arrived/);
  });

  it('an extra chunk', () => {
    expect(refusal(assembleVerticalMessage([...chunks, chunks[2] as ParsedVerticalChunk], JOB))).toMatch(/announced 3 chunks and 4 arrived/);
  });

  it('a message for another job, or a chunk of another job\'s message', () => {
    expect(refusal(assembleVerticalMessage(chunks, 'other-job'))).toMatch(/for job "job-wire", not "other-job"/);
    const foreign = parsedChunks(payload, address, 'other-job');
    expect(refusal(assembleVerticalMessage([chunks[0], foreign[1], chunks[2]] as ParsedVerticalChunk[], JOB))).toMatch(/chunk 1 belongs to another message/);
  });

  it('a chunk of a message at another address', () => {
    const elsewhere = parsedChunks(payload, { ...address, batch: 8 });
    expect(refusal(assembleVerticalMessage([chunks[0], chunks[1], elsewhere[2]] as ParsedVerticalChunk[], JOB))).toMatch(/chunk 2 belongs to another message/);
  });

  it('a payload that does not match its SHA-256 (one byte flipped, or another message\'s chunk at the same address)', () => {
    const flipped = Uint8Array.from(chunks[1]?.payload as Uint8Array);
    flipped[12_345] = (flipped[12_345] as number) ^ 1;
    expect(refusal(assembleVerticalMessage([chunks[0], { ...(chunks[1] as ParsedVerticalChunk), payload: flipped }, chunks[2]] as ParsedVerticalChunk[], JOB))).toBe('the payload does not match its SHA-256');
    const other = parsedChunks(new Uint8Array(randomBytes(payload.length)));
    expect(refusal(assembleVerticalMessage([chunks[0], other[1], chunks[2]] as ParsedVerticalChunk[], JOB))).toBe('the payload does not match its SHA-256');
  });

  it('nothing, when the chunks are whole and in order', () => {
    expect(assembleVerticalMessage(chunks, JOB).success).toBe(true);
  });
});

describe('parseVerticalChunk refuses', () => {
  const [first, second] = toVerticalChunks(JOB, message(new Uint8Array(randomBytes(VERTICAL_CHUNK_BYTES + 10)))) as [VerticalChunk, VerticalChunk];
  const decoded = (chunk: VerticalChunk): VerticalChunk__Output => overTheWire(chunk).decoded;

  it('accepts both genuine chunks', () => {
    expect(parseVerticalChunk(decoded(first)).success).toBe(true);
    expect(parseVerticalChunk(decoded(second)).success).toBe(true);
  });

  it('a later chunk that carries a nonce, a signature or a payload hash (a side channel)', () => {
    expect(refusal(parseVerticalChunk(decoded({ ...second, nonce: randomBytes(16) })))).toMatch(/nonce: only chunk 0 carries a nonce/);
    expect(refusal(parseVerticalChunk(decoded({ ...second, signature: randomBytes(64) })))).toMatch(/signature: only chunk 0 carries it/);
    expect(refusal(parseVerticalChunk(decoded({ ...second, payloadSha256: randomBytes(32) })))).toMatch(/payloadSha256: only chunk 0 carries it/);
  });

  it('a first chunk without a nonce, with a short nonce, a bad signature length or no payload hash', () => {
    expect(refusal(parseVerticalChunk(decoded({ ...first, nonce: Buffer.alloc(0) })))).toMatch(/chunk 0 must carry a 16-byte nonce/);
    expect(refusal(parseVerticalChunk(decoded({ ...first, nonce: randomBytes(8) })))).toMatch(/chunk 0 must carry a 16-byte nonce/);
    expect(refusal(parseVerticalChunk(decoded({ ...first, signature: randomBytes(63) })))).toMatch(/not a 64-byte Ed25519 signature/);
    expect(refusal(parseVerticalChunk(decoded({ ...first, payloadSha256: Buffer.alloc(0) })))).toMatch(/32-byte payload SHA-256/);
  });

  it('a kind that is not a vertical kind (unspecified, or an unknown enum number)', () => {
    expect(refusal(parseVerticalChunk(decoded({ ...first, address: { ...toWireAddress(address), kind: 'VERTICAL_KIND_UNSPECIFIED' } })))).toMatch(/address\.kind: "VERTICAL_KIND_UNSPECIFIED" is not a vertical message kind/);
    expect(refusal(parseVerticalChunk(decoded({ ...first, address: { ...toWireAddress(address), kind: 99 as unknown as 'VERTICAL_KIND_UNSPECIFIED' } })))).toMatch(/is not a vertical message kind/);
    expect(refusal(parseVerticalChunk(decoded({ ...first, address: null })))).toMatch(/address: is missing/);
  });

  it('address fields out of bounds (bad ids, hop past 64)', () => {
    expect(refusal(parseVerticalChunk(decoded({ ...first, address: { ...toWireAddress(address), sender: 'Insurer!' } })))).toMatch(/address\.sender/);
    expect(refusal(parseVerticalChunk(decoded({ ...first, address: { ...toWireAddress(address), recipient: '../bank' } })))).toMatch(/address\.recipient/);
    expect(refusal(parseVerticalChunk(decoded({ ...first, address: { ...toWireAddress(address), hop: 65 } })))).toMatch(/address\.hop/);
  });

  it('an over-long payload, a short chunk that is not the last, an index past the count, too many chunks', () => {
    expect(refusal(parseVerticalChunk(decoded({ ...second, payload: randomBytes(VERTICAL_CHUNK_BYTES + 1) })))).toMatch(/payload: exceeds 2097152 bytes/);
    expect(refusal(parseVerticalChunk(decoded({ ...first, payload: randomBytes(10) })))).toMatch(/only the last chunk may be short/);
    expect(refusal(parseVerticalChunk(decoded({ ...second, chunkIndex: 2 })))).toMatch(/chunkIndex: is 2 of 2 chunks/);
    expect(refusal(parseVerticalChunk(decoded({ ...second, chunkIndex: 200, chunkCount: MAX_VERTICAL_PAYLOAD_BYTES / VERTICAL_CHUNK_BYTES + 1 })))).toMatch(/chunkCount/);
  });

  it('bytes that are not a protobuf message at all', () => {
    const method = loadVerticalService().PostVertical;
    expect(() => method.requestDeserialize(Buffer.from([0x0a, 0xff, 0xff]))).toThrow();
    expect(refusal(parseVerticalChunk({ malformedMessage: 'truncated' } as unknown as VerticalChunk__Output))).toMatch(/malformed VerticalChunk/);
  });
});

describe('parseVerticalFetchRequest', () => {
  const method = loadVerticalService().FetchVertical;
  const decoded = (request: object): VerticalFetchRequest__Output => method.requestDeserialize(method.requestSerialize(request));
  const genuine = toWireFetchRequest(JOB, 'bank', verticalAddress('score-shares', { epoch: 1, sender: 'telco', recipient: 'bank' }));

  it('accepts the genuine request and keeps every address field', () => {
    const parsed = parseVerticalFetchRequest(decoded(genuine));
    if (!parsed.success) throw new Error(parsed.reason);
    expect(parsed.data.address).toEqual(verticalAddress('score-shares', { epoch: 1, sender: 'telco', recipient: 'bank' }));
    expect(parsed.data.participantId).toBe('bank');
  });

  it('refuses bad job and participant ids, a missing or short nonce, a missing address or kind', () => {
    expect(refusal(parseVerticalFetchRequest(decoded({ ...genuine, jobId: '' })))).toMatch(/jobId/);
    expect(refusal(parseVerticalFetchRequest(decoded({ ...genuine, jobId: 'Job With Spaces' })))).toMatch(/jobId/);
    expect(refusal(parseVerticalFetchRequest(decoded({ ...genuine, participantId: 'BANK' })))).toMatch(/participantId/);
    expect(refusal(parseVerticalFetchRequest(decoded({ ...genuine, participantId: 'x'.repeat(64) })))).toMatch(/participantId/);
    expect(refusal(parseVerticalFetchRequest(decoded({ ...genuine, nonce: Buffer.alloc(0) })))).toMatch(/nonce: is not a 16-byte nonce/);
    expect(refusal(parseVerticalFetchRequest(decoded({ ...genuine, nonce: randomBytes(17) })))).toMatch(/nonce: is not a 16-byte nonce/);
    expect(refusal(parseVerticalFetchRequest(decoded({ ...genuine, address: null })))).toMatch(/address: is missing/);
    expect(refusal(parseVerticalFetchRequest(decoded({ ...genuine, address: { ...genuine.address, kind: 'VERTICAL_KIND_UNSPECIFIED' } })))).toMatch(/not a vertical message kind/);
  });
});
