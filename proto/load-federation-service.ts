import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/federation.js';
import type { FederationDefinition } from './generated/hefl/v1/Federation.js';

/** The loader options must match those `npm run proto:generate` used for the generated types. */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

let definition: FederationDefinition | undefined;

/** The Federation service definition, loaded once from proto/federation.proto. */
export function loadFederationService(): FederationDefinition {
  if (!definition) {
    const packageDefinition = protoLoader.loadSync(fileURLToPath(new URL('./federation.proto', import.meta.url)), LOADER_OPTIONS);
    const loaded = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;
    definition = loaded.hefl.v1.Federation.service;
  }
  return definition;
}

/**
 * What a request deserializer returns for bytes that are not a valid protobuf message: grpc-js would
 * answer a throwing deserializer with INTERNAL; the wire mapping turns this into INVALID_ARGUMENT
 * with the decoder's reason instead.
 */
export interface MalformedMessage {
  readonly malformedMessage: string;
}

export function isMalformedMessage(value: unknown): value is MalformedMessage {
  return typeof value === 'object' && value !== null && typeof (value as { malformedMessage?: unknown }).malformedMessage === 'string';
}

export type FederationMethodName =
  | 'Join'
  | 'SubmitUpdate'
  | 'FetchAggregate'
  | 'ReportEvaluation'
  | 'SubmitKeySetup'
  | 'SubmitDecryptionShare'
  | 'FetchDecryptedAggregate'
  | 'FetchContributions'
  | 'ReportFailure';

/** What a service's observed copy reports (see observeService). */
export interface ServiceObserver<Name extends string> {
  /** Serialized requests (with the message, on the sending side) and received ones (without). */
  onRequestBytes?: (method: Name, bytes: Buffer, message: unknown) => void;
  onResponseBytes?: (method: Name, bytes: Buffer) => void;
  /** Server side: each request as received, with what it decoded to (undecodable: a MalformedMessage). */
  onRequestReceived?: (method: Name, bytes: Buffer, decoded: object) => void;
}

/**
 * A copy of a service definition whose (de)serializers also report each message's exact bytes; a
 * request that does not decode becomes a MalformedMessage instead of a throw. Shared by the Federation
 * and VerticalFederation services.
 */
export function observeService<Name extends string, Definition extends object>(service: Definition, observer: ServiceObserver<Name>): Definition {
  const observed: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service) as [Name, grpc.MethodDefinition<object, object>][]) {
    observed[name] = {
      ...method,
      requestSerialize: (message: object) => {
        const bytes = method.requestSerialize(message);
        observer.onRequestBytes?.(name, bytes, message);
        return bytes;
      },
      requestDeserialize: (bytes: Buffer): object => {
        observer.onRequestBytes?.(name, bytes, undefined);
        let decoded: object;
        try {
          decoded = method.requestDeserialize(bytes);
        } catch (error) {
          decoded = { malformedMessage: error instanceof Error ? error.message : String(error) } satisfies MalformedMessage;
        }
        observer.onRequestReceived?.(name, bytes, decoded);
        return decoded;
      },
      responseSerialize: (message: object) => {
        const bytes = method.responseSerialize(message);
        observer.onResponseBytes?.(name, bytes);
        return bytes;
      },
      responseDeserialize: (bytes: Buffer) => {
        observer.onResponseBytes?.(name, bytes);
        return method.responseDeserialize(bytes);
      },
    };
  }
  return observed as Definition;
}

/**
 * A copy of the service definition whose (de)serializers also report each message's exact bytes:
 * how the coordinator counts bytes received and how a participant records what leaves it.
 */
export function observeFederationService(observer: ServiceObserver<FederationMethodName>): FederationDefinition {
  return observeService(loadFederationService(), observer);
}
