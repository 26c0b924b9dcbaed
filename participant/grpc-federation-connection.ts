import * as grpc from '@grpc/grpc-js';
import type { FederationClient } from '../proto/generated/hefl/v1/Federation.js';
import { observeFederationService } from '../proto/load-federation-service.js';
import { ConfigError, HeflError, WireMessageError } from '../protocols/errors.js';
import { hostOfAddress, isLoopbackHost } from '../protocols/net/loopback-host.js';
import {
  MAX_CHUNK_BYTES,
  type ContributionChunk,
  type CoordinatorEvent,
  type DecryptionShareChunk,
  type KeySetupMessage,
  type Receipt,
  type UpdateChunk,
} from '../protocols/wire/federation-messages.js';
import {
  parseAggregateChunk,
  parseContributionChunk,
  parseCoordinatorEvent,
  parseDecryptedChunk,
  toWireDecryptionShareChunk,
  toWireEvaluationReport,
  toWireFailureReport,
  toWireFetchAggregateRequest,
  toWireJoinRequest,
  toWireKeySetupMessage,
  toWireUpdateChunk,
} from '../protocols/wire/wire-mapping.js';
import type { EgressRecord, FederationConnection } from './federation-connection.js';

export interface GrpcConnectionOptions {
  /** host:port of the coordinator. */
  readonly address: string;
  readonly credentials?: grpc.ChannelCredentials;
  /** Connect without credentials (plain gRPC) to a coordinator that is not on loopback; refused otherwise. */
  readonly allowPlaintextTransport?: boolean;
  /** How long to keep trying to reach the coordinator before giving up. */
  readonly connectTimeoutMs?: number;
  /** Sees every message's exact serialized bytes before they reach the socket. */
  readonly onEgress?: (record: EgressRecord) => void;
}

function describeCallFailure(error: unknown, address: string): HeflError {
  const serviceError = error as Partial<grpc.ServiceError>;
  if (serviceError.code === grpc.status.UNAVAILABLE) {
    return new HeflError('COORDINATOR_UNREACHABLE', `coordinator at ${address} is unreachable: ${serviceError.details ?? 'unavailable'}`);
  }
  return new HeflError('PROTOCOL_VIOLATION', `coordinator at ${address} refused: ${serviceError.details ?? String(error)}`);
}

/** The gRPC implementation of FederationConnection. */
export class GrpcFederationConnection implements FederationConnection {
  private readonly client: FederationClient;
  private readonly address: string;
  /** Open event streams: close() cancels them (grpc-js lets calls in progress run on after a close). */
  private readonly streams = new Set<{ cancel(): void }>();

  private constructor(options: GrpcConnectionOptions) {
    this.address = options.address;
    const service = observeFederationService({
      onRequestBytes: (method, bytes, message) => {
        if (message !== undefined) options.onEgress?.({ method, bytes });
      },
    });
    const Client = grpc.makeClientConstructor(service, 'hefl.v1.Federation') as unknown as new (
      address: string,
      credentials: grpc.ChannelCredentials,
      options: grpc.ChannelOptions,
    ) => FederationClient;
    this.client = new Client(options.address, options.credentials ?? grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': MAX_CHUNK_BYTES + 64 * 1024,
      'grpc.max_send_message_length': MAX_CHUNK_BYTES + 64 * 1024,
    });
  }

  /** Connects, waiting up to `connectTimeoutMs` for the coordinator to be reachable. */
  static async connect(options: GrpcConnectionOptions): Promise<GrpcFederationConnection> {
    if (!/^[^\s:]+:\d{1,5}$/.test(options.address) && !/^\[[0-9a-f:]+\]:\d{1,5}$/i.test(options.address)) {
      throw new HeflError('COORDINATOR_UNREACHABLE', `coordinator address "${options.address}" is not host:port`);
    }
    if (!options.credentials && !options.allowPlaintextTransport && !isLoopbackHost(hostOfAddress(options.address))) {
      throw new ConfigError(`plain gRPC to ${options.address} (not loopback) is refused: connect with mutual TLS credentials, or set allowPlaintextTransport`);
    }
    const connection = new GrpcFederationConnection(options);
    const timeout = options.connectTimeoutMs ?? 30_000;
    await new Promise<void>((resolve, reject) => {
      connection.client.waitForReady(Date.now() + timeout, (error) => {
        if (!error) return resolve();
        connection.close();
        reject(new HeflError('COORDINATOR_UNREACHABLE', `could not reach the coordinator at ${options.address} within ${timeout / 1000} s`));
      });
    });
    return connection;
  }

  async *join(request: Parameters<FederationConnection['join']>[0]): AsyncIterable<CoordinatorEvent> {
    const call = this.client.join(toWireJoinRequest(request));
    this.streams.add(call);
    try {
      for await (const wire of call) {
        const event = parseCoordinatorEvent(wire);
        if (!event.success) throw new WireMessageError(`from the coordinator: ${event.reason}`);
        yield event.data;
      }
    } catch (error) {
      if (error instanceof HeflError) throw error;
      throw describeCallFailure(error, this.address);
    } finally {
      this.streams.delete(call);
      call.cancel();
    }
  }

  submitUpdate(chunks: Iterable<UpdateChunk> | AsyncIterable<UpdateChunk>): Promise<Receipt> {
    return this.sendChunkStream((callback) => this.client.submitUpdate(callback), chunks, toWireUpdateChunk);
  }

  submitDecryptionShare(chunks: Iterable<DecryptionShareChunk>): Promise<Receipt> {
    return this.sendChunkStream((callback) => this.client.submitDecryptionShare(callback), chunks, toWireDecryptionShareChunk);
  }

  submitKeySetup(message: KeySetupMessage): Promise<Receipt> {
    return new Promise<Receipt>((resolve, reject) => {
      this.client.submitKeySetup(toWireKeySetupMessage(message), (error, receipt) => this.settle(error, receipt, resolve, reject));
    });
  }

  async fetchDecryptedAggregate(request: Parameters<FederationConnection['fetchDecryptedAggregate']>[0]): Promise<Float64Array[]> {
    const chunks: Float64Array[] = [];
    try {
      for await (const wire of this.client.fetchDecryptedAggregate(toWireFetchAggregateRequest(request))) {
        const chunk = parseDecryptedChunk(wire);
        if (!chunk.success) throw new WireMessageError(`from the coordinator: ${chunk.reason}`);
        if (chunk.data.round !== request.round || chunk.data.chunkIndex !== chunks.length) {
          throw new WireMessageError(`decrypted chunk ${chunk.data.chunkIndex} of round ${chunk.data.round} arrived out of order`);
        }
        chunks.push(chunk.data.values);
      }
    } catch (error) {
      if (error instanceof HeflError) throw error;
      throw describeCallFailure(error, this.address);
    }
    return chunks;
  }

  async *fetchContributions(request: Parameters<FederationConnection['fetchContributions']>[0]): AsyncIterable<ContributionChunk> {
    try {
      for await (const wire of this.client.fetchContributions(toWireFetchAggregateRequest(request))) {
        const chunk = parseContributionChunk(wire);
        if (!chunk.success) throw new WireMessageError(`from the coordinator: ${chunk.reason}`);
        yield chunk.data;
      }
    } catch (error) {
      if (error instanceof HeflError) throw error;
      throw describeCallFailure(error, this.address);
    }
  }

  /** A refusal is an answer, not a transport failure: it becomes a receipt; only a lost link rejects. */
  private settle(
    error: grpc.ServiceError | null,
    receipt: { accepted?: boolean; reason?: string } | undefined,
    resolve: (receipt: Receipt) => void,
    reject: (error: Error) => void,
  ): void {
    if (error) {
      if (error.code === grpc.status.UNAVAILABLE || error.code === grpc.status.CANCELLED) reject(describeCallFailure(error, this.address));
      else resolve({ accepted: false, reason: error.details || error.message });
      return;
    }
    resolve(receipt?.accepted ? { accepted: true } : { accepted: false, reason: receipt?.reason || 'no receipt' });
  }

  private sendChunkStream<Chunk, Wire>(
    open: (callback: grpc.requestCallback<{ accepted?: boolean; reason?: string }>) => grpc.ClientWritableStream<Wire>,
    chunks: Iterable<Chunk> | AsyncIterable<Chunk>,
    toWire: (chunk: Chunk) => Wire,
  ): Promise<Receipt> {
    return new Promise<Receipt>((resolve, reject) => {
      const call = open((error, receipt) => this.settle(error, receipt, resolve, reject));
      void (async () => {
        for await (const chunk of chunks) {
          if (!call.write(toWire(chunk))) await new Promise<void>((drained) => call.once('drain', drained));
        }
        call.end();
      })().catch((error: unknown) => {
        call.cancel();
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  async fetchAggregate(request: Parameters<FederationConnection['fetchAggregate']>[0]): Promise<Uint8Array[]> {
    const chunks: Uint8Array[] = [];
    try {
      for await (const wire of this.client.fetchAggregate(toWireFetchAggregateRequest(request))) {
        const chunk = parseAggregateChunk(wire);
        if (!chunk.success) throw new WireMessageError(`from the coordinator: ${chunk.reason}`);
        if (chunk.data.round !== request.round || chunk.data.chunkIndex !== chunks.length) {
          throw new WireMessageError(`aggregate chunk ${chunk.data.chunkIndex} of round ${chunk.data.round} arrived out of order`);
        }
        chunks.push(chunk.data.ciphertext);
      }
    } catch (error) {
      if (error instanceof HeflError) throw error;
      throw describeCallFailure(error, this.address);
    }
    return chunks;
  }

  reportEvaluation(report: Parameters<FederationConnection['reportEvaluation']>[0]): Promise<Receipt> {
    return new Promise<Receipt>((resolve, reject) => {
      this.client.reportEvaluation(toWireEvaluationReport(report), (error, receipt) => this.settle(error, receipt, resolve, reject));
    });
  }

  reportFailure(report: Parameters<FederationConnection['reportFailure']>[0]): Promise<Receipt> {
    return new Promise<Receipt>((resolve, reject) => {
      this.client.reportFailure(toWireFailureReport(report), (error, receipt) => this.settle(error, receipt, resolve, reject));
    });
  }

  close(): void {
    for (const stream of this.streams) stream.cancel();
    this.client.close();
  }
}
