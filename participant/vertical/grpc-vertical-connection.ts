import * as grpc from '@grpc/grpc-js';
import type { VerticalFederationClient } from '../../proto/generated/hefl/v1/VerticalFederation.js';
import type { VerticalChunk__Output } from '../../proto/generated/hefl/v1/VerticalChunk.js';
import { observeVerticalService } from '../../proto/load-vertical-service.js';
import { ConfigError, HeflError, WireMessageError } from '../../protocols/errors.js';
import { hostOfAddress, isLoopbackHost } from '../../protocols/net/loopback-host.js';
import { addressKey, type VerticalAddress } from '../../protocols/vertical/vertical-address.js';
import {
  assembleVerticalMessage,
  parseVerticalChunk,
  toVerticalChunks,
  toWireFetchRequest,
  VERTICAL_CHUNK_BYTES,
  type ParsedVerticalChunk,
  type VerticalMessage,
} from '../../protocols/vertical/vertical-wire.js';
import { toWireJoinRequest } from '../../protocols/wire/wire-mapping.js';
import type { JoinRequest } from '../../protocols/wire/federation-messages.js';
import type { VerticalConnection, VerticalEgressRecord, VerticalJoinNotice } from './vertical-connection.js';

export interface GrpcVerticalConnectionOptions {
  readonly address: string;
  readonly jobId: string;
  readonly participantId: string;
  readonly credentials?: grpc.ChannelCredentials;
  readonly allowPlaintextTransport?: boolean;
  readonly connectTimeoutMs?: number;
  /** Sees (and may refuse, by throwing) every serialized request before it reaches the socket. */
  readonly onEgress?: (record: VerticalEgressRecord) => void;
}

function describeFailure(error: unknown, address: string): HeflError {
  const serviceError = error as Partial<grpc.ServiceError>;
  if (serviceError.code === grpc.status.UNAVAILABLE) return new HeflError('COORDINATOR_UNREACHABLE', `coordinator at ${address} is unreachable: ${serviceError.details ?? 'unavailable'}`);
  return new HeflError('PROTOCOL_VIOLATION', `coordinator at ${address} refused: ${serviceError.details ?? String(error)}`);
}

/** The gRPC implementation of VerticalConnection. */
export class GrpcVerticalConnection implements VerticalConnection {
  private constructor(
    private readonly client: VerticalFederationClient,
    private readonly options: GrpcVerticalConnectionOptions,
  ) {}

  static async connect(options: GrpcVerticalConnectionOptions): Promise<GrpcVerticalConnection> {
    if (!options.credentials && !options.allowPlaintextTransport && !isLoopbackHost(hostOfAddress(options.address))) {
      throw new ConfigError(`plain gRPC to ${options.address} (not loopback) is refused: connect with mutual TLS credentials, or set allowPlaintextTransport`);
    }
    const service = observeVerticalService({ onRequestBytes: (method, bytes) => options.onEgress?.({ method, bytes }) });
    const Client = grpc.makeClientConstructor(service, 'hefl.v1.VerticalFederation') as unknown as new (
      address: string,
      credentials: grpc.ChannelCredentials,
      channelOptions: grpc.ChannelOptions,
    ) => VerticalFederationClient;
    const client = new Client(options.address, options.credentials ?? grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': VERTICAL_CHUNK_BYTES + 64 * 1024,
      'grpc.max_send_message_length': VERTICAL_CHUNK_BYTES + 64 * 1024,
    });
    const timeout = options.connectTimeoutMs ?? 30_000;
    await new Promise<void>((resolve, reject) => {
      client.waitForReady(Date.now() + timeout, (error) => {
        if (!error) return resolve();
        client.close();
        reject(new HeflError('COORDINATOR_UNREACHABLE', `could not reach the coordinator at ${options.address} within ${timeout / 1000} s`));
      });
    });
    return new GrpcVerticalConnection(client, options);
  }

  async *join(request: JoinRequest): AsyncIterable<VerticalJoinNotice> {
    const call = this.client.joinVertical(toWireJoinRequest(request));
    try {
      for await (const wire of call as AsyncIterable<{ jobAccepted?: { jobSpecJson: string } | null; jobFinished?: object | null; jobFailed?: { reason: string } | null }>) {
        if (wire.jobAccepted) {
          let jobJson: unknown;
          try {
            jobJson = JSON.parse(wire.jobAccepted.jobSpecJson);
          } catch {
            throw new WireMessageError('from the coordinator: the job spec is not JSON');
          }
          yield { type: 'job-accepted', jobJson };
        } else if (wire.jobFinished) yield { type: 'job-finished' };
        else if (wire.jobFailed) yield { type: 'job-failed', reason: String(wire.jobFailed.reason).slice(0, 2_000) };
        else throw new WireMessageError('from the coordinator: an empty notice');
      }
    } catch (error) {
      if (error instanceof HeflError) throw error;
      throw describeFailure(error, this.options.address);
    } finally {
      call.cancel();
    }
  }

  post(message: VerticalMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const call = this.client.postVertical((error) => {
        if (!error) return resolve();
        reject(error.code === grpc.status.UNAVAILABLE ? describeFailure(error, this.options.address) : new HeflError('PROTOCOL_VIOLATION', `the coordinator refused ${addressKey(message.address)}: ${error.details || error.message}`));
      });
      void (async () => {
        for (const chunk of toVerticalChunks(this.options.jobId, message)) {
          if (!call.write(chunk)) await new Promise<void>((drained) => call.once('drain', drained));
        }
        call.end();
      })().catch((error: unknown) => {
        call.cancel();
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  async fetch(address: VerticalAddress): Promise<VerticalMessage> {
    const chunks: ParsedVerticalChunk[] = [];
    try {
      for await (const wire of this.client.fetchVertical(toWireFetchRequest(this.options.jobId, this.options.participantId, address)) as AsyncIterable<VerticalChunk__Output>) {
        const chunk = parseVerticalChunk(wire);
        if (!chunk.success) throw new WireMessageError(`from the coordinator: ${chunk.reason}`);
        if (addressKey(chunk.data.address) !== addressKey(address)) throw new WireMessageError(`asked for ${addressKey(address)}, the coordinator sent ${addressKey(chunk.data.address)}`);
        chunks.push(chunk.data);
      }
    } catch (error) {
      if (error instanceof HeflError) throw error;
      throw describeFailure(error, this.options.address);
    }
    const message = assembleVerticalMessage(chunks, this.options.jobId);
    if (!message.success) throw new WireMessageError(`from the coordinator: ${message.reason}`);
    return { address: message.data.address, payload: message.data.payload, signature: message.data.signature };
  }

  close(): void {
    this.client.close();
  }
}
