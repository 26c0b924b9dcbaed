import type { MethodDefinition } from '@grpc/grpc-js';
import type { Coordinator, EventSink } from '../../coordinator/coordinator.js';
import type { EgressRecord, FederationConnection } from '../../participant/federation-connection.js';
import { loadFederationService, type FederationMethodName } from '../../proto/load-federation-service.js';
import { HeflError, WireMessageError } from '../../protocols/errors.js';
import type {
  ContributionChunk,
  CoordinatorEvent,
  DecryptionShareChunk,
  EvaluationReport,
  FailureReport,
  FetchAggregateRequest,
  JoinRequest,
  KeySetupMessage,
  Parsed,
  Receipt,
  UpdateChunk,
} from '../../protocols/wire/federation-messages.js';
import {
  parseAggregateChunk,
  parseContributionChunk,
  parseCoordinatorEvent,
  parseDecryptedChunk,
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
  toWireDecryptionShareChunk,
  toWireEvaluationReport,
  toWireFailureReport,
  toWireFetchAggregateRequest,
  toWireJoinRequest,
  toWireKeySetupMessage,
  toWireUpdateChunk,
} from '../../protocols/wire/wire-mapping.js';

/**
 * Every message crosses the same wire mapping and protobuf encoding as over gRPC (toWire*, the
 * service's serializer, its deserializer, parse*): it costs microseconds per message, keeps the two
 * transports equally strict, gives the egress hook the exact bytes gRPC would send, and means no byte
 * array is shared between participant and coordinator (a node wiping what it sent wipes nothing of the
 * coordinator's). What is left out is only the socket, TLS, flow control and the server's per-caller
 * authorization and rate limit (grpc-coordinator-server.ts), which need a network to mean anything.
 */
function crossWire<Domain, Wire, WireOut>(
  method: FederationMethodName,
  direction: 'request' | 'response',
  message: Domain,
  toWire: (message: Domain) => Wire,
  parse: (wire: WireOut) => Parsed<Domain>,
  onBytes?: (bytes: Uint8Array) => void,
): Domain {
  const definition = loadFederationService()[method] as unknown as MethodDefinition<object, object>;
  const wire = toWire(message) as object;
  const bytes = direction === 'request' ? definition.requestSerialize(wire) : definition.responseSerialize(wire);
  onBytes?.(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const decoded = (direction === 'request' ? definition.requestDeserialize(bytes) : definition.responseDeserialize(bytes)) as WireOut;
  const parsed = parse(decoded);
  if (!parsed.success) throw new WireMessageError(`${method} ${direction} does not survive the wire mapping: ${parsed.reason}`);
  return parsed.data;
}

/** A push-fed async queue: the coordinator's EventSink writes, the participant's join() iterates. */
class EventQueue implements EventSink {
  private readonly queued: CoordinatorEvent[] = [];
  private waiting: (() => void) | undefined;
  private closed = false;

  send(event: CoordinatorEvent): void {
    if (this.closed) return;
    this.queued.push(event);
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  async *drain(): AsyncGenerator<CoordinatorEvent> {
    for (;;) {
      const next = this.queued.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}

const REFUSED = (reason: string): HeflError => new HeflError('PROTOCOL_VIOLATION', `coordinator at in-memory refused: ${reason}`);

/**
 * FederationConnection straight into a Coordinator in the same process: no gRPC server, no socket, no
 * sleeps. Refusals surface as the gRPC connection surfaces them (a refused submission is a receipt, a
 * refused join or fetch a PROTOCOL_VIOLATION HeflError).
 */
export class InMemoryFederationConnection implements FederationConnection {
  private readonly joined = new Set<string>();

  constructor(
    private readonly coordinator: Coordinator,
    private readonly options: { onEgress?: (record: EgressRecord) => void } = {},
  ) {}

  private request<Domain, Wire, WireOut>(method: FederationMethodName, message: Domain, toWire: (message: Domain) => Wire, parse: (wire: WireOut) => Parsed<Domain>): Domain {
    return crossWire(method, 'request', message, toWire, parse, (bytes) => this.options.onEgress?.({ method, bytes }));
  }

  async *join(request: JoinRequest): AsyncIterable<CoordinatorEvent> {
    const received = this.request('Join', request, toWireJoinRequest, parseJoinRequest);
    const queue = new EventQueue();
    const receipt = this.coordinator.join(received, queue);
    if (!receipt.accepted) throw REFUSED(receipt.reason);
    this.joined.add(received.participantId);
    try {
      for await (const event of queue.drain()) yield crossWire('Join', 'response', event, toWireCoordinatorEvent, parseCoordinatorEvent);
    } finally {
      queue.close();
      if (this.joined.delete(received.participantId)) this.coordinator.leave(received.participantId);
    }
  }

  async submitUpdate(chunks: Iterable<UpdateChunk> | AsyncIterable<UpdateChunk>): Promise<Receipt> {
    return this.chunkStream(chunks, (chunk) => this.request('SubmitUpdate', chunk, toWireUpdateChunk, parseUpdateChunk), (first) => this.coordinator.openUpdate(first));
  }

  async submitDecryptionShare(chunks: Iterable<DecryptionShareChunk>): Promise<Receipt> {
    return this.chunkStream(
      chunks,
      (chunk) => this.request('SubmitDecryptionShare', chunk, toWireDecryptionShareChunk, parseDecryptionShareChunk),
      (first) => this.coordinator.openDecryptionShare(first),
    );
  }

  async submitKeySetup(message: KeySetupMessage): Promise<Receipt> {
    return this.coordinator.submitKeySetup(this.request('SubmitKeySetup', message, toWireKeySetupMessage, parseKeySetupMessage));
  }

  async reportEvaluation(report: EvaluationReport): Promise<Receipt> {
    return this.coordinator.reportEvaluation(this.request('ReportEvaluation', report, toWireEvaluationReport, parseEvaluationReport));
  }

  async reportFailure(report: FailureReport): Promise<Receipt> {
    return this.coordinator.reportFailure(this.request('ReportFailure', report, toWireFailureReport, parseFailureReport));
  }

  async fetchAggregate(request: FetchAggregateRequest): Promise<Uint8Array[]> {
    const received = this.request('FetchAggregate', request, toWireFetchAggregateRequest, parseFetchAggregateRequest);
    const found = this.coordinator.aggregateFor(received);
    if (!found.success) throw REFUSED(found.reason);
    return found.data.map(
      (ciphertext, chunkIndex) =>
        crossWire('FetchAggregate', 'response', { round: received.round, chunkIndex, ciphertext }, (chunk) => toWireAggregateChunk(chunk.round, chunk.chunkIndex, chunk.ciphertext), parseAggregateChunk)
          .ciphertext,
    );
  }

  async fetchDecryptedAggregate(request: FetchAggregateRequest): Promise<Float64Array[]> {
    const received = this.request('FetchDecryptedAggregate', request, toWireFetchAggregateRequest, parseFetchAggregateRequest);
    const found = this.coordinator.decryptedFor(received);
    if (!found.success) throw REFUSED(found.reason);
    return found.data.map((chunk) => crossWire('FetchDecryptedAggregate', 'response', chunk, toWireDecryptedChunk, parseDecryptedChunk).values);
  }

  async *fetchContributions(request: FetchAggregateRequest): AsyncIterable<ContributionChunk> {
    const received = this.request('FetchContributions', request, toWireFetchAggregateRequest, parseFetchAggregateRequest);
    const found = this.coordinator.contributionsFor(received);
    if (!found.success) throw REFUSED(found.reason);
    for (const chunk of found.data) yield crossWire('FetchContributions', 'response', chunk, toWireContributionChunk, parseContributionChunk);
  }

  close(): void {
    for (const participantId of this.joined) this.coordinator.leave(participantId);
    this.joined.clear();
  }

  /** A client stream: the first chunk opens the submission, the rest are accepted, the end finishes it. */
  private async chunkStream<Chunk>(
    chunks: Iterable<Chunk> | AsyncIterable<Chunk>,
    cross: (chunk: Chunk) => Chunk,
    open: (first: Chunk) => Parsed<{ accept(chunk: Chunk): void; finish(): Receipt; abort(reason: string): void }>,
  ): Promise<Receipt> {
    let incoming: { accept(chunk: Chunk): void; finish(): Receipt; abort(reason: string): void } | undefined;
    try {
      for await (const chunk of chunks) {
        const received = cross(chunk);
        if (!incoming) {
          const opened = open(received);
          if (!opened.success) return { accepted: false, reason: opened.reason };
          incoming = opened.data;
          continue;
        }
        try {
          incoming.accept(received);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          incoming.abort(reason);
          return { accepted: false, reason };
        }
      }
    } catch (error) {
      incoming?.abort('stream broke before its last chunk');
      throw error;
    }
    if (!incoming) return { accepted: false, reason: 'empty stream' };
    return incoming.finish();
  }
}
