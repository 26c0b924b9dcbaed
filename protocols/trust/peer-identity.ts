import { readCertificateFacts, type CertificateFacts } from './certificate-facts.js';
import type { FederationManifest, NodeRole } from './federation-manifest.js';

/** What grpc-js reports about a call's TLS session (`call.getAuthContext()`), structurally. */
export interface PeerAuthContext {
  readonly transportSecurityType?: string | undefined;
  /** Node's `tls.PeerCertificate`; grpc-js sets it only when the TLS handshake verified the chain. */
  readonly sslPeerCertificate?: { readonly raw?: Uint8Array | undefined } | undefined;
}

export type PeerIdentity = { readonly nodeId: string; readonly role: NodeRole } | { readonly refused: string };

/**
 * Who a verified peer certificate says the caller is. TLS has already checked the chain to the CA;
 * this adds what TLS cannot: the certificate must be listed in the signed manifest, not revoked
 * (revocation is in the manifest, not in TLS), still valid (an HTTP/2 connection outlives the
 * handshake), and carry the SAN URI matching its manifest entry. The id never comes from a message.
 */
export function peerIdentityFromAuthContext(auth: PeerAuthContext, manifest: FederationManifest, now: Date = new Date()): PeerIdentity {
  if (auth.transportSecurityType !== 'ssl') return { refused: 'the connection is not TLS; this node accepts mutual TLS only' };
  const raw = auth.sslPeerCertificate?.raw;
  if (!raw || raw.length === 0) return { refused: 'the peer presented no verified certificate; this node accepts mutual TLS only' };
  let facts: CertificateFacts;
  try {
    facts = readCertificateFacts(new Uint8Array(raw));
  } catch {
    return { refused: 'the peer certificate cannot be parsed' };
  }
  const entry = manifest.nodes.find((node) => node.certificateSha256 === facts.sha256);
  if (!entry) return { refused: `the peer certificate (${facts.subject}, SHA-256 ${facts.sha256}) is not listed in the federation manifest` };
  const revocation = manifest.revoked.find((revoked) => revoked.serialNumber === facts.serialNumber || revoked.serialNumber === entry.serialNumber);
  if (revocation) return { refused: `the certificate of ${entry.role} "${entry.id}" is revoked since ${revocation.revokedAt} (${revocation.reason})` };
  if (now.getTime() > facts.notAfter.getTime()) return { refused: `the certificate of ${entry.role} "${entry.id}" expired on ${facts.notAfter.toISOString()}` };
  if (now.getTime() < facts.notBefore.getTime()) return { refused: `the certificate of ${entry.role} "${entry.id}" is not valid before ${facts.notBefore.toISOString()}` };
  const uri = facts.nodeUri;
  if (!uri) return { refused: `the certificate of "${entry.id}" carries no single hefl:// node URI, so it names no role` };
  if (uri.federationId !== manifest.federationId) {
    return { refused: `the certificate of "${entry.id}" is for federation "${uri.federationId}", not "${manifest.federationId}"` };
  }
  if (uri.nodeId !== entry.id || uri.role !== entry.role) {
    return { refused: `the certificate names ${uri.role} "${uri.nodeId}" but the manifest lists it as ${entry.role} "${entry.id}"` };
  }
  return { nodeId: entry.id, role: uri.role };
}

/** `peerIdentityFromAuthContext` for a grpc-js server call (any ServerUnaryCall/ServerReadableStream/...). */
export function peerIdentityFromCall(call: { getAuthContext(): PeerAuthContext }, manifest: FederationManifest, now: Date = new Date()): PeerIdentity {
  return peerIdentityFromAuthContext(call.getAuthContext(), manifest, now);
}
