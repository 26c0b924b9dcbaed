import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/federation.js';
import type { VerticalFederationDefinition } from './generated/hefl/v1/VerticalFederation.js';
import { observeService, type ServiceObserver } from './load-federation-service.js';

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
 * The service with its serializers reporting each message's exact bytes (observeService): the
 * coordinator counts and records what it receives, a party's egress guard judges (and may refuse, by
 * throwing) what it sends.
 */
export function observeVerticalService(observer: ServiceObserver<VerticalMethodName>): VerticalFederationDefinition {
  return observeService(loadVerticalService(), observer);
}
