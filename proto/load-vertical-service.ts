import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/federation.js';
import type { VerticalFederationDefinition } from './generated/hefl/v1/VerticalFederation.js';
import type { MalformedMessage } from './load-federation-service.js';

export type VerticalMethodName = 'JoinVertical' | 'PostVertical' | 'FetchVertical';

let definition: VerticalFederationDefinition | undefined;

/** The VerticalFederation service definition (same proto file and loader options as Federation). */
export function loadVerticalService(): VerticalFederationDefinition {
  if (!definition) {
    const packageDefinition = protoLoader.loadSync(fileURLToPath(new URL('./federation.proto', import.meta.url)), {
      keepCase: false,
      longs: Number,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    const loaded = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;
    definition = loaded.hefl.v1.VerticalFederation.service;
  }
  return definition;
}

/**
 * A copy of the service whose serializers report each message's exact bytes: the coordinator counts
 * what it receives, a party's egress guard judges (and may refuse, by throwing) what it sends.
 */
export function observeVerticalService(observer: {
  onRequestBytes?: (method: VerticalMethodName, bytes: Buffer) => void;
  onResponseBytes?: (method: VerticalMethodName, bytes: Buffer) => void;
  /** Server side: each request as received, with what it decoded to (the ingress ledger's hook). */
  onRequestReceived?: (method: VerticalMethodName, bytes: Buffer, decoded: object) => void;
}): VerticalFederationDefinition {
  const service = loadVerticalService();
  const observed: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service) as [VerticalMethodName, grpc.MethodDefinition<object, object>][]) {
    observed[name] = {
      ...method,
      requestSerialize: (message: object) => {
        const bytes = method.requestSerialize(message);
        observer.onRequestBytes?.(name, bytes);
        return bytes;
      },
      requestDeserialize: (bytes: Buffer): object => {
        observer.onRequestBytes?.(name, bytes);
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
  return observed as unknown as VerticalFederationDefinition;
}
