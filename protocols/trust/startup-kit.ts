/**
 * @deprecated Compatibility module for cli/ and test/mutual-tls.test.ts until they import from
 * load-startup-kit.js, grpc-credentials.js and peer-identity.js directly.
 */
import type { PeerCertificate } from 'node:tls';
import type { FederationManifest } from './federation-manifest.js';
import { peerIdentityFromAuthContext } from './peer-identity.js';

export { loadStartupKit, type StartupKit } from './load-startup-kit.js';
export { channelCredentialsFor, serverCredentialsFor } from './grpc-credentials.js';

/** @deprecated Use `peerIdentityFromCall` and check `role === 'participant'` at the call site. */
export function participantFromPeerCertificate(manifest: FederationManifest, peer: PeerCertificate | undefined): { nodeId: string } | { refused: string } {
  const identity = peerIdentityFromAuthContext({ transportSecurityType: 'ssl', sslPeerCertificate: peer }, manifest);
  if ('refused' in identity) return identity;
  if (identity.role !== 'participant') return { refused: `"${identity.nodeId}" is a ${identity.role}, not a participant` };
  return { nodeId: identity.nodeId };
}
