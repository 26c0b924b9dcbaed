import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { FederationManifest } from './federation-manifest.js';
import { peerIdentityFromAuthContext } from './peer-identity.js';

/**
 * A TLS `checkServerIdentity` for participants and auditors: besides the usual host-name check, the
 * server's certificate must be the coordinator's as listed (and not revoked) in the signed manifest,
 * so no other certificate from the same CA can pose as the coordinator.
 */
export function checkCoordinatorIdentity(manifest: FederationManifest): (host: string, certificate: PeerCertificate) => Error | undefined {
  return (host, certificate) => {
    const hostProblem = checkServerIdentity(host, certificate);
    if (hostProblem) return hostProblem;
    const identity = peerIdentityFromAuthContext({ transportSecurityType: 'ssl', sslPeerCertificate: certificate }, manifest);
    if ('refused' in identity) return new Error(`the server at ${host} is not the federation coordinator: ${identity.refused}`);
    if (identity.role !== 'coordinator') return new Error(`the server at ${host} presents the certificate of ${identity.role} "${identity.nodeId}", not the coordinator's`);
    return undefined;
  };
}
