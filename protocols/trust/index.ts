/**
 * Identity and transport trust both nodes need: startup kits, the signed manifest, mutual TLS for gRPC.
 * Making them (the federation CA, certificates, kits, revocations) is provisioning/'s, the CLI's side.
 */
export {
  federationInputSchema,
  federationManifestSchema,
  signManifest,
  verifyManifest,
  KIT_FILES,
  CA_KEY_FILE,
  type FederationInput,
  type FederationInputIn,
  type FederationManifest,
  type Manifest,
  type ManifestNode,
  type Revocation,
} from './federation-manifest.js';
export { NODE_ROLES, formatNodeUri, parseNodeUri, type NodeRole, type NodeUri } from './node-uri.js';
export { loadStartupKit, type StartupKit } from './load-startup-kit.js';
export { serverCredentialsFor, channelCredentialsFor } from './grpc-credentials.js';
export { peerIdentityFromCall, peerIdentityFromAuthContext, type PeerIdentity, type PeerAuthContext } from './peer-identity.js';
export { checkCoordinatorIdentity } from './check-coordinator-identity.js';
export { readCertificateFacts, type CertificateFacts } from './certificate-facts.js';
