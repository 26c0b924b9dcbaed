import * as grpc from '@grpc/grpc-js';
import type { VerticalFederationHandlers } from '../../proto/generated/hefl/v1/VerticalFederation.js';
import type { VerticalChunk__Output } from '../../proto/generated/hefl/v1/VerticalChunk.js';
import { observeVerticalService, type VerticalMethodName } from '../../proto/load-vertical-service.js';
import { ConfigError } from '../../protocols/errors.js';
import { isLoopbackHost } from '../../protocols/net/loopback-host.js';
import { parseJoinRequest } from '../../protocols/wire/wire-mapping.js';
import { assembleVerticalMessage, parseVerticalChunk, parseVerticalFetchRequest, toVerticalChunks, VERTICAL_CHUNK_BYTES, type ParsedVerticalChunk } from '../../protocols/vertical/vertical-wire.js';
import type { PeerAuthenticator, RunningCoordinatorServer } from '../grpc-coordinator-server.js';
import { FetchRefusedError, type VerticalCoordinator, type VerticalNotice } from './vertical-coordinator.js';
import type { VerticalIngressOutcome } from './vertical-ingress-ledger.js';

const MAX_MESSAGE_BYTES = VERTICAL_CHUNK_BYTES + 64 * 1024;

function failure(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

function toWireNotice(notice: VerticalNotice): object {
  switch (notice.type) {
    case 'job-accepted':
      return { jobAccepted: { jobSpecJson: JSON.stringify(notice.job), resumed: false, lastCompletedRound: 0, collectiveKeySha256: '' } };
    case 'job-finished':
      return { jobFinished: { roundsCompleted: notice.epochs } };
    case 'job-failed':
      return { jobFailed: { reason: notice.reason } };
  }
}

/**
 * Serves the VerticalFederation gRPC service. Under mutual TLS the caller is the participant its
 * verified certificate names, never a field of the message; on plain transport (loopback only unless
 * allowed) it is the id the message claims.
 */
export async function startGrpcVerticalServer(
  coordinator: VerticalCoordinator,
  options: {
    host?: string;
    port?: number;
    credentials?: grpc.ServerCredentials;
    allowPlaintextTransport?: boolean;
    authenticatePeer?: PeerAuthenticator;
    /** The ingress ledger (vertical-ingress-ledger.ts): told each request's bytes, then who sent it and its fate. */
    onRequestReceived?: (method: VerticalMethodName, bytes: Uint8Array, decoded: object) => (outcome: VerticalIngressOutcome) => void;
  } = {},
): Promise<RunningCoordinatorServer> {
  const host = options.host ?? '127.0.0.1';
  if (!options.credentials && !options.allowPlaintextTransport && !isLoopbackHost(host)) {
    throw new ConfigError(`plain gRPC on ${host} (not loopback) is refused: serve with mutual TLS credentials, or set allowPlaintextTransport`);
  }
  /** The proven caller, or a refusal when the certificate names someone else than `claimed`. */
  const caller = (call: { getAuthContext(): ReturnType<grpc.ServerUnaryCall<unknown, unknown>['getAuthContext']> }, claimed: string): { id: string } | { refused: string } => {
    if (!options.authenticatePeer) return { id: claimed };
    const identity = options.authenticatePeer(call.getAuthContext());
    if ('refused' in identity) return identity;
    return identity.nodeId === claimed ? { id: claimed } : { refused: `the message names "${claimed}", but the client certificate is "${identity.nodeId}"` };
  };
  const pending = new WeakMap<object, (outcome: VerticalIngressOutcome) => void>();
  const service = observeVerticalService({
    onResponseBytes: (_method, bytes) => coordinator.recordBytesSent(bytes.length),
    onRequestReceived: (method, bytes, decoded) => {
      const recorder = options.onRequestReceived?.(method, bytes, decoded);
      if (recorder) pending.set(decoded, recorder);
    },
  });
  /** Writes the ingress record of one received request: the proven (or claimed) sender and its fate. */
  const settle = (request: object, claimed: string, refused?: string): void => {
    const recorder = pending.get(request);
    if (!recorder) return;
    pending.delete(request);
    const identity = options.authenticatePeer ? undefined : claimed;
    recorder({ sender: identity ?? proven.get(request) ?? undefined, authenticated: options.authenticatePeer !== undefined && proven.has(request), ...(refused !== undefined ? { refused } : {}) });
  };
  const proven = new WeakMap<object, string>();
  /** Under mutual TLS: which party the caller's certificate proves, for the ingress record of `request`. */
  const remember = (call: { getAuthContext(): ReturnType<grpc.ServerUnaryCall<unknown, unknown>['getAuthContext']> }, request: object): void => {
    if (!options.authenticatePeer) return;
    const identity = options.authenticatePeer(call.getAuthContext());
    if ('nodeId' in identity) proven.set(request, identity.nodeId);
  };
  const handlers: VerticalFederationHandlers = {
    JoinVertical(call) {
      remember(call, call.request);
      const request = parseJoinRequest(call.request);
      if (!request.success) {
        settle(call.request, '', request.reason);
        return void call.emit('error', failure(grpc.status.INVALID_ARGUMENT, request.reason));
      }
      const who = caller(call, request.data.participantId);
      if ('refused' in who) {
        settle(call.request, request.data.participantId, who.refused);
        return void call.emit('error', failure(grpc.status.PERMISSION_DENIED, who.refused));
      }
      let open = true;
      const sink = {
        send: (notice: VerticalNotice) => {
          if (open) call.write(toWireNotice(notice));
        },
        close: () => {
          if (open) {
            open = false;
            call.end();
          }
        },
      };
      const receipt = coordinator.join(request.data, sink);
      if (!receipt.accepted) {
        open = false;
        settle(call.request, request.data.participantId, receipt.reason);
        return void call.emit('error', failure(grpc.status.PERMISSION_DENIED, receipt.reason));
      }
      settle(call.request, request.data.participantId);
      const leave = (): void => {
        open = false;
        coordinator.leave(request.data.participantId, sink);
      };
      call.on('cancelled', leave);
      call.on('close', leave);
    },

    PostVertical(call, callback) {
      const chunks: ParsedVerticalChunk[] = [];
      const received: object[] = [];
      let bytes = 0;
      let failed = false;
      let claimed = '';
      const settleAll = (refused?: string): void => {
        for (const wire of received.splice(0)) settle(wire, claimed, refused);
      };
      const fail = (code: grpc.status, reason: string): void => {
        if (failed) return;
        failed = true;
        settleAll(reason);
        callback(failure(code, reason));
      };
      call.on('data', (wire: VerticalChunk__Output) => {
        remember(call, wire);
        received.push(wire);
        if (failed) return settleAll('the stream was already refused');
        claimed ||= wire.address?.sender ?? '';
        const chunk = parseVerticalChunk(wire);
        if (!chunk.success) return fail(grpc.status.INVALID_ARGUMENT, chunk.reason);
        bytes += chunk.data.payload.length;
        chunks.push(chunk.data);
        if (chunks.length > chunk.data.chunkCount) fail(grpc.status.INVALID_ARGUMENT, 'more chunks than announced');
      });
      call.on('end', () => {
        if (failed) return;
        const first = chunks[0];
        if (!first) return fail(grpc.status.INVALID_ARGUMENT, 'empty stream');
        const who = caller(call, first.address.sender);
        if ('refused' in who) return fail(grpc.status.PERMISSION_DENIED, who.refused);
        const message = assembleVerticalMessage(chunks, coordinator.job.jobId);
        if (!message.success) return fail(grpc.status.INVALID_ARGUMENT, message.reason);
        const receipt = coordinator.post(who.id, message.data, message.data.nonce, bytes);
        if (!receipt.accepted) return fail(grpc.status.FAILED_PRECONDITION, receipt.reason);
        settleAll();
        callback(null, { accepted: true, reason: '' });
      });
      call.on('cancelled', () => settleAll('the stream broke before its last chunk'));
    },

    FetchVertical(call) {
      remember(call, call.request);
      const request = parseVerticalFetchRequest(call.request);
      const claimedBy = request.success ? request.data.participantId : '';
      const refuse = (code: grpc.status, reason: string): void => {
        settle(call.request, claimedBy, reason);
        call.emit('error', failure(code, reason));
      };
      if (!request.success) return refuse(grpc.status.INVALID_ARGUMENT, request.reason);
      const who = caller(call, request.data.participantId);
      if ('refused' in who) return refuse(grpc.status.PERMISSION_DENIED, who.refused);
      if (request.data.jobId !== coordinator.job.jobId) return refuse(grpc.status.NOT_FOUND, `no job "${request.data.jobId}" here`);
      const refusal = coordinator.fetchRefusal(who.id, request.data.address);
      if (refusal) return refuse(grpc.status.PERMISSION_DENIED, refusal);
      settle(call.request, request.data.participantId);
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      coordinator.fetch(who.id, request.data.address, abort.signal).then(
        async (message) => {
          for (const chunk of toVerticalChunks(coordinator.job.jobId, message)) {
            if (abort.signal.aborted) return;
            if (!call.write(chunk)) await new Promise<void>((resolve) => call.once('drain', resolve));
          }
          call.end();
        },
        (error: unknown) => {
          if (abort.signal.aborted) return;
          const refused = error instanceof FetchRefusedError;
          call.emit('error', failure(refused ? grpc.status.PERMISSION_DENIED : grpc.status.ABORTED, error instanceof Error ? error.message : String(error)));
        },
      );
    },
  };
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.max_concurrent_streams': 64,
  });
  server.addService(service, handlers);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port ?? 0}`, options.credentials ?? grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  return {
    address: `${host}:${port}`,
    port,
    shutdown: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
