import * as grpc from '@grpc/grpc-js';
import { KeyCustodyError } from '../errors.js';
import { checkCoordinatorIdentity } from './check-coordinator-identity.js';
import type { StartupKit } from './load-startup-kit.js';

export { peerIdentityFromCall, peerIdentityFromAuthContext, type PeerIdentity } from './peer-identity.js';

/**
 * Mutual TLS for the coordinator's gRPC server: clients must present a certificate chaining to the
 * federation CA, or the handshake fails. Listing and revocation are checked per call with
 * `peerIdentityFromCall`, against the manifest (which can be reloaded without new credentials).
 */
export function serverCredentialsFor(kit: StartupKit): grpc.ServerCredentials {
  // Only the coordinator certificate carries serverAuth and the host names clients dial.
  if (kit.role !== 'coordinator') throw new KeyCustodyError(`the kit of ${kit.role} "${kit.nodeId}" cannot serve; only the coordinator's kit can`);
  return grpc.ServerCredentials.createSsl(
    // The federation CA, and the institutions' own roots the signed manifest names (their nodes' certificates are pinned there too).
    Buffer.from([kit.caPem, ...(kit.manifest.externalRoots ?? [])].join('\n')),
    [{ cert_chain: Buffer.from(kit.certificatePem), private_key: Buffer.from(kit.keyPem) }],
    true, // require and verify client certificates
  );
}

/**
 * Mutual TLS for a participant's (or auditor's) channel: trusts only the federation CA, presents the
 * node's certificate, and accepts only the coordinator certificate listed in the kit's manifest.
 */
export function channelCredentialsFor(kit: StartupKit): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(Buffer.from(kit.caPem), Buffer.from(kit.keyPem), Buffer.from(kit.certificatePem), {
    checkServerIdentity: checkCoordinatorIdentity(kit.manifest),
  });
}
