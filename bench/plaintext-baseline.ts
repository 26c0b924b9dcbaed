import { federatedAverageReference } from '../protocols/aggregation/federated-average-reference.js';
import { ByteSinkClient, startByteSink } from './byte-sink-service.js';
import { timeSecondsSync } from './figures.js';
import { SYNTHETIC_SAMPLE_COUNT, syntheticWeightedUpdate } from './synthetic-update.js';

/** Values per gRPC message, as many as one CKKS ciphertext carries (N = 8192: 8,192 values, two per slot). */
const VALUES_PER_MESSAGE = 8_192;

export interface PlaintextRoundTimings {
  /** Serialize N float32 vectors, stream them over gRPC loopback, reassemble them on the server. */
  readonly transferSeconds: number;
  /** `federatedAverageReference` over the N received vectors. */
  readonly fedAvgSeconds: number;
  readonly totalSeconds: number;
  readonly bytesPerParticipant: number;
}

export interface PlaintextBaseline {
  run(): Promise<PlaintextRoundTimings>;
  close(): Promise<void>;
}

function serializeFloat32(values: Float32Array): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = 0; start < values.length; start += VALUES_PER_MESSAGE) {
    const slice = values.subarray(start, Math.min(values.length, start + VALUES_PER_MESSAGE));
    chunks.push(Buffer.from(new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength))); // a copy, as a serializer makes
  }
  return chunks;
}

function reassembleFloat32(chunks: readonly Buffer[]): Float32Array {
  const joined = Buffer.concat(chunks);
  const values = new Float32Array(joined.length / 4);
  new Uint8Array(values.buffer).set(joined);
  return values;
}

/**
 * "HE off", measured as the plaintext equivalent of the same data movement (the product has no
 * plaintext mode): N clients each stream P float32 values to a standalone gRPC sink on loopback in
 * the same process, then the server runs plaintext FedAvg on what it received.
 */
export async function createPlaintextBaseline(parameterCount: number, participants: number): Promise<PlaintextBaseline> {
  const updates = Array.from({ length: participants }, (_, index) => Float32Array.from(syntheticWeightedUpdate(parameterCount, 100 + index)));
  let received: Float32Array[] = [];
  const sink = await startByteSink((chunks) => received.push(reassembleFloat32(chunks)));
  const clients = updates.map(() => new ByteSinkClient(sink.address));
  return {
    run: async () => {
      received = [];
      const started = performance.now();
      const counts = await Promise.all(clients.map((client, index) => client.upload(serializeFloat32(updates[index] as Float32Array))));
      const transferSeconds = (performance.now() - started) / 1000;
      if (received.length !== participants || counts.some((count) => count !== parameterCount * 4)) {
        throw new Error(`plaintext baseline: ${received.length} of ${participants} uploads arrived whole`);
      }
      const fedAvg = timeSecondsSync(() => federatedAverageReference(received.map((delta) => ({ delta, sampleCount: SYNTHETIC_SAMPLE_COUNT }))));
      return { transferSeconds, fedAvgSeconds: fedAvg.seconds, totalSeconds: transferSeconds + fedAvg.seconds, bytesPerParticipant: parameterCount * 4 };
    },
    close: async () => {
      for (const client of clients) client.close();
      await sink.shutdown();
    },
  };
}
