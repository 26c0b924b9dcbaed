import * as grpc from '@grpc/grpc-js';
/** What grpc-js knows about the caller's TLS session (its verified certificate, under mutual TLS). */
type AuthContext = ReturnType<grpc.ServerUnaryCall<unknown, unknown>['getAuthContext']>;
import type { FederationHandlers } from '../proto/generated/hefl/v1/Federation.js';
import { observeFederationService, type FederationMethodName } from '../proto/load-federation-service.js';
import { MAX_CHUNK_BYTES } from '../protocols/wire/federation-messages.js';
import type { FetchAggregateRequest__Output } from '../proto/generated/hefl/v1/FetchAggregateRequest.js';
import type { FetchAggregateRequest, Parsed, Receipt } from '../protocols/wire/federation-messages.js';
import {
  parseDecryptionShareChunk,
  parseEvaluationReport,
  parseFailureReport,
  parseFetchAggregateRequest,
  parseJoinRequest,
  parseKeySetupMessage,
  parseUpdateChunk,
  toWireAggregateChunk,
  toWireContributionChunk,
  toWireCoordinatorEvent,
  toWireDecryptedChunk,
} from '../protocols/wire/wire-mapping.js';
import type { Coordinator } from './coordinator.js';
import { RequestRateLimiter } from './request-rate-limiter.js';
import { ConfigError } from '../protocols/errors.js';
import { isLoopbackHost } from '../protocols/net/loopback-host.js';
import { PendingIngress, type CallerIdentity, type IngressRecorder, type SettleIngress } from './ingress-outcome.js';

export interface RunningCoordinatorServer {
  /** host:port actually bound (port 0 in the request becomes the real port). */
  readonly address: string;
  readonly port: number;
  shutdown(): Promise<void>;
}

const MAX_MESSAGE_BYTES = MAX_CHUNK_BYTES + 64 * 1024;

function failure(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

interface ChunkSink<Chunk> {
  accept(chunk: Chunk): void;
  finish(): Receipt;
  abort(reason: string): void;
}

/**
 * A client stream of chunks: the first opens a sink (or is refused), later ones go into it, the end
 * finishes it; any bad chunk or broken stream aborts it, so nothing half-received is kept.
 */
function receiveChunkStream<Wire extends object, Chunk>(
  call: grpc.ServerReadableStream<Wire, unknown>,
  callback: grpc.sendUnaryData<{ accepted: boolean; reason: string }>,
  parse: (wire: Wire) => Parsed<Chunk>,
  open: (first: Chunk) => Parsed<ChunkSink<Chunk>>,
  authorize: (first: Chunk) => grpc.ServiceError | undefined,
  /** The ingress record of one chunk, written once the stream's fate is known. */
  take: (wire: Wire) => (refused?: string) => void,
): void {
  let sink: ChunkSink<Chunk> | undefined;
  let done = false;
  let refusal: string | undefined;
  const received: ((refused?: string) => void)[] = [];
  const settle = (refused?: string): void => {
    for (const record of received.splice(0)) record(refused);
  };
  const fail = (code: grpc.status, reason: string): void => {
    if (done) return;
    done = true;
    refusal = reason;
    sink?.abort(reason);
    settle(reason);
    callback(failure(code, reason));
  };
  call.on('data', (wire: Wire) => {
    const record = take(wire);
    if (done) return record(`the stream was already ${refusal ? `refused: ${refusal}` : 'closed'}`);
    received.push(record);
    const chunk = parse(wire);
    if (!chunk.success) return fail(grpc.status.INVALID_ARGUMENT, chunk.reason);
    if (!sink) {
      const refusal = authorize(chunk.data);
      if (refusal) return fail(refusal.code, refusal.details);
      const opened = open(chunk.data);
      if (!opened.success) return fail(grpc.status.FAILED_PRECONDITION, opened.reason);
      sink = opened.data;
      return;
    }
    try {
      sink.accept(chunk.data);
    } catch (error) {
      fail(grpc.status.INVALID_ARGUMENT, error instanceof Error ? error.message : String(error));
    }
  });
  call.on('end', () => {
    if (done) return;
    if (!sink) return fail(grpc.status.INVALID_ARGUMENT, 'empty stream');
    const receipt = sink.finish();
    done = true;
    settle(receipt.accepted ? undefined : receipt.reason);
    if (receipt.accepted) callback(null, { accepted: true, reason: '' });
    else callback(failure(grpc.status.FAILED_PRECONDITION, receipt.reason));
  });
  const broken = (): void => {
    if (done) return;
    done = true;
    sink?.abort('stream broke before its last chunk');
    settle('stream broke before its last chunk');
  };
  call.on('cancelled', broken);
  call.on('error', broken);
}

/** Writes a server stream with back-pressure, so a slow reader never makes the coordinator buffer it all. */
function sendStream<Message>(call: grpc.ServerWritableStream<unknown, Message>, messages: Iterable<Message>): void {
  let cancelled = false;
  call.on('cancelled', () => {
    cancelled = true;
  });
  void (async () => {
    for (const message of messages) {
      if (cancelled) return;
      if (!call.write(message)) await new Promise<void>((resolve) => call.once('drain', resolve));
    }
    call.end();
  })();
}

/** Serves the Federation gRPC service for one coordinator on `host:port` (loopback by default). */
/** Who the verified client certificate says the caller is (mutual TLS), or why it is refused. */
export type PeerAuthenticator = (auth: AuthContext) => { nodeId: string } | { refused: string };

export async function startGrpcCoordinatorServer(
  coordinator: Coordinator,
  options: {
    host?: string;
    port?: number;
    credentials?: grpc.ServerCredentials;
    /** Serve plain gRPC (no credentials) on a host that is not loopback; refused otherwise. */
    allowPlaintextTransport?: boolean;
    /** With mutual TLS: the participant id is taken from the verified certificate, never from a message field. */
    authenticatePeer?: PeerAuthenticator;
    /** Requests per second per participant (burst: 20 seconds' worth); default 50. */
    requestsPerSecond?: number;
    /** Told of every caller refused by certificate checks (for a clear log line). */
    onPeerRefused?: (reason: string) => void;
    /**
     * Sees every request as received (the ingress ledger); the recorder it returns is told, once the
     * request is handled, who sent it (the certificate's participant under mutual TLS) and whether it was refused.
     */
    onRequestReceived?: (method: FederationMethodName, bytes: Uint8Array, decoded: object) => IngressRecorder | undefined;
    /** Sees every response message as sent (the coordinator's record of what it sent out). */
    onResponseSent?: (method: FederationMethodName, bytes: Uint8Array) => void;
  } = {},
): Promise<RunningCoordinatorServer> {
  const { authenticatePeer } = options;
  const host = options.host ?? '127.0.0.1';
  if (!options.credentials && !options.allowPlaintextTransport && !isLoopbackHost(host)) {
    throw new ConfigError(`plain gRPC on ${host} (not loopback) is refused: serve with mutual TLS credentials, or set allowPlaintextTransport`);
  }
  const rateLimiter = new RequestRateLimiter(options.requestsPerSecond ?? 50, (options.requestsPerSecond ?? 50) * 20);
  const pending = new PendingIngress();
  /** Who the caller is, by its verified certificate (mutual TLS); undefined on plain transport. */
  const identify = (call: { getAuthContext(): AuthContext }): CallerIdentity => (authenticatePeer ? authenticatePeer(call.getAuthContext()) : undefined);
  /** A refusal when the certificate is refused or proves another participant than the message names, or the caller floods us. */
  const authorize = (identity: CallerIdentity, claimed: string): grpc.ServiceError | undefined => {
    const reason =
      identity === undefined
        ? undefined
        : 'refused' in identity
          ? identity.refused
          : identity.nodeId !== claimed
            ? `the message names participant "${claimed}", but the client certificate is "${identity.nodeId}"`
            : undefined;
    if (reason) {
      options.onPeerRefused?.(reason);
      return failure(grpc.status.PERMISSION_DENIED, reason);
    }
    // Under mutual TLS the bucket is the proven participant's, so a spoofer cannot drain another's.
    const sender = identity && 'nodeId' in identity ? identity.nodeId : claimed;
    if (!rateLimiter.take(sender)) return failure(grpc.status.RESOURCE_EXHAUSTED, `rate limit: too many requests from "${sender}"`);
    return undefined;
  };
  /** The ingress record of one chunk of a client stream, from a caller already identified. */
  const takeChunk =
    (identity: CallerIdentity) =>
    (wire: object): ((refused?: string) => void) => {
      const settle = pending.take(wire);
      return (refused) => settle(identity, refused);
    };
  /** The caller's identity and the ingress record of its (single) request. */
  const receive = (call: { getAuthContext(): AuthContext; request: object }): { identity: CallerIdentity; record: (refused?: string) => void } => {
    const identity = identify(call);
    const settle: SettleIngress = pending.take(call.request);
    return { identity, record: (refused) => settle(identity, refused) };
  };

  /** A fetch: parse the request, check the caller, then stream what the coordinator has for it. */
  const serveFetch = <Wire>(
    call: grpc.ServerWritableStream<FetchAggregateRequest__Output, Wire>,
    lookup: (request: FetchAggregateRequest) => Parsed<Iterable<Wire>>,
  ): void => {
    const { identity, record } = receive(call);
    const refuse = (error: grpc.ServiceError): void => {
      record(error.details);
      call.emit('error', error);
    };
    const request = parseFetchAggregateRequest(call.request);
    if (!request.success) return refuse(failure(grpc.status.INVALID_ARGUMENT, request.reason));
    const refusal = authorize(identity, request.data.participantId);
    if (refusal) return refuse(refusal);
    const found = lookup(request.data);
    if (!found.success) return refuse(failure(grpc.status.FAILED_PRECONDITION, found.reason));
    record();
    sendStream(call, found.data);
  };

  /** A unary message answered with a receipt: parse, check the caller, hand it to the coordinator. */
  const answerWithReceipt = <WireIn, Message extends { participantId: string }>(
    call: grpc.ServerUnaryCall<WireIn, unknown>,
    callback: grpc.sendUnaryData<{ accepted: boolean; reason: string }>,
    parse: (wire: WireIn) => Parsed<Message>,
    handle: (message: Message) => Receipt,
  ): void => {
    const { identity, record } = receive(call as grpc.ServerUnaryCall<WireIn & object, unknown>);
    const refuse = (error: grpc.ServiceError): void => {
      record(error.details);
      callback(error);
    };
    const message = parse(call.request);
    if (!message.success) return refuse(failure(grpc.status.INVALID_ARGUMENT, message.reason));
    const refusal = authorize(identity, message.data.participantId);
    if (refusal) return refuse(refusal);
    const receipt = handle(message.data);
    if (!receipt.accepted) return refuse(failure(grpc.status.FAILED_PRECONDITION, receipt.reason));
    record();
    callback(null, { accepted: true, reason: '' });
  };
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc.keepalive_permit_without_calls': 1,
    // Bounded concurrency per connection: more streams wait in HTTP/2 flow control, not in our memory.
    'grpc.max_concurrent_streams': 32,
  });
  const service = observeFederationService({
    onRequestBytes: (_method, bytes, message) => {
      if (message === undefined) coordinator.recordBytesReceived(bytes.length);
    },
    onResponseBytes: (method, bytes) => {
      coordinator.recordBytesSent(bytes.length);
      options.onResponseSent?.(method, bytes);
    },
    onRequestReceived: (method, bytes, decoded) => {
      const recorder = options.onRequestReceived?.(method, bytes, decoded);
      if (recorder) pending.hold(decoded, recorder);
    },
  });

  const handlers: FederationHandlers = {
    Join(call) {
      const { identity, record } = receive(call);
      const request = parseJoinRequest(call.request);
      if (!request.success) {
        record(request.reason);
        call.emit('error', failure(grpc.status.INVALID_ARGUMENT, request.reason));
        return;
      }
      const { participantId } = request.data;
      const refusal = authorize(identity, participantId);
      if (refusal) {
        record(refusal.details);
        call.emit('error', refusal);
        return;
      }
      let open = true;
      const receipt = coordinator.join(request.data, {
        send: (event) => {
          if (open) call.write(toWireCoordinatorEvent(event));
        },
        close: () => {
          if (!open) return;
          open = false;
          call.end();
        },
      });
      if (!receipt.accepted) {
        open = false;
        record(receipt.reason);
        call.emit('error', failure(grpc.status.PERMISSION_DENIED, receipt.reason));
        return;
      }
      record();
      const leave = (): void => {
        open = false;
        coordinator.leave(participantId);
      };
      call.on('cancelled', leave);
      call.on('close', leave);
      call.on('error', leave);
    },

    SubmitUpdate(call, callback) {
      const identity = identify(call);
      receiveChunkStream(
        call,
        callback,
        parseUpdateChunk,
        (first) => coordinator.openUpdate(first),
        (first) => authorize(identity, first.participantId),
        takeChunk(identity),
      );
    },

    FetchAggregate(call) {
      serveFetch(call, (request) => {
        const chunks = coordinator.aggregateFor(request);
        return chunks.success
          ? { success: true, data: chunks.data.map((ciphertext, index) => toWireAggregateChunk(request.round, index, ciphertext)) }
          : chunks;
      });
    },

    ReportEvaluation(call, callback) {
      answerWithReceipt(call, callback, parseEvaluationReport, (report) => coordinator.reportEvaluation(report));
    },

    ReportFailure(call, callback) {
      answerWithReceipt(call, callback, parseFailureReport, (report) => coordinator.reportFailure(report));
    },

    SubmitKeySetup(call, callback) {
      answerWithReceipt(call, callback, parseKeySetupMessage, (message) => coordinator.submitKeySetup(message));
    },

    SubmitDecryptionShare(call, callback) {
      const identity = identify(call);
      receiveChunkStream(
        call,
        callback,
        parseDecryptionShareChunk,
        (first) => coordinator.openDecryptionShare(first),
        (first) => authorize(identity, first.participantId),
        takeChunk(identity),
      );
    },

    FetchContributions(call) {
      serveFetch(call, (request) => {
        const chunks = coordinator.contributionsFor(request);
        if (!chunks.success) return chunks;
        return {
          success: true,
          data: (function* () {
            for (const chunk of chunks.data) yield toWireContributionChunk(chunk);
          })(),
        };
      });
    },

    FetchDecryptedAggregate(call) {
      serveFetch(call, (request) => {
        const chunks = coordinator.decryptedFor(request);
        return chunks.success ? { success: true, data: chunks.data.map(toWireDecryptedChunk) } : chunks;
      });
    },
  };

  server.addService(service, handlers);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port ?? 0}`, options.credentials ?? grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  return {
    address: `${host}:${port}`,
    port,
    shutdown: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          pending.flush('received, but not handled before the server shut down');
          resolve();
        }, 2_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          pending.flush('received, but not handled before the server shut down');
          resolve();
        });
      }),
  };
}
