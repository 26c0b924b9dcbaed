import * as grpc from '@grpc/grpc-js';
import { MAX_CHUNK_BYTES } from '../protocols/wire/federation-messages.js';

/**
 * A tiny standalone gRPC service for the plaintext baseline: one client-streaming method that takes
 * raw byte chunks and answers with the byte count. Defined generically (no .proto), with identity
 * (de)serializers, so the bytes on the wire are exactly the payload plus gRPC framing.
 */
const ABSORB_PATH = '/hefl.bench.ByteSink/Absorb';
const CHANNEL_OPTIONS = {
  'grpc.max_receive_message_length': MAX_CHUNK_BYTES + 64 * 1024,
  'grpc.max_send_message_length': MAX_CHUNK_BYTES + 64 * 1024,
};

function encodeCount(count: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(count);
  return bytes;
}

const byteSinkDefinition: grpc.ServiceDefinition<grpc.UntypedServiceImplementation> = {
  Absorb: {
    path: ABSORB_PATH,
    requestStream: true,
    responseStream: false,
    requestSerialize: (chunk: Buffer) => chunk,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: encodeCount,
    responseDeserialize: (bytes: Buffer) => bytes.readDoubleBE(0),
    originalName: 'absorb',
  },
};

export interface RunningByteSink {
  readonly address: string;
  shutdown(): Promise<void>;
}

/** Starts the sink on 127.0.0.1; `onUpload` receives each finished upload's chunks, in order. */
export async function startByteSink(onUpload: (chunks: readonly Buffer[]) => void): Promise<RunningByteSink> {
  const server = new grpc.Server(CHANNEL_OPTIONS);
  const absorb: grpc.handleClientStreamingCall<Buffer, number> = (call, callback) => {
    const chunks: Buffer[] = [];
    let total = 0;
    call.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
    });
    call.on('end', () => {
      onUpload(chunks);
      callback(null, total);
    });
  };
  server.addService(byteSinkDefinition, { Absorb: absorb as grpc.UntypedHandleCall });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  return {
    address: `127.0.0.1:${port}`,
    shutdown: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/** A client of the sink; one per simulated participant, like one GrpcFederationConnection each. */
export class ByteSinkClient {
  private readonly client: grpc.Client;

  constructor(address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  }

  /** Streams `chunks` with back-pressure and resolves with the byte count the server acknowledged. */
  upload(chunks: readonly Buffer[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const call = this.client.makeClientStreamRequest<Buffer, number>(
        ABSORB_PATH,
        (chunk) => chunk,
        (bytes) => bytes.readDoubleBE(0),
        (error, count) => (error || count === undefined ? reject(error ?? new Error('no count')) : resolve(count)),
      );
      void (async () => {
        for (const chunk of chunks) {
          if (!call.write(chunk)) await new Promise<void>((drained) => call.once('drain', drained));
        }
        call.end();
      })();
    });
  }

  close(): void {
    this.client.close();
  }
}
