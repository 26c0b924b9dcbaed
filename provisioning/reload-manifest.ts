import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, KeyCustodyError } from '../protocols/errors.js';
import { KIT_FILES, verifyManifest, type FederationManifest } from '../protocols/trust/federation-manifest.js';
import type { StartupKit } from '../protocols/trust/load-startup-kit.js';

/**
 * Re-reads a running node's manifest (after `hefl provision revoke` re-signed it) and returns it for
 * `peerIdentityFromCall`. It is verified against the CA certificate loaded at start, not the ca.crt
 * on disk now, so swapping that file cannot bring in another CA. A manifest older than `current`,
 * or one that drops a revocation, is refused: a revoked node must stay refused.
 */
export async function reloadManifest(kit: StartupKit, current: FederationManifest = kit.manifest): Promise<FederationManifest> {
  const path = join(kit.folder, KIT_FILES.manifest);
  const [json, signature] = await Promise.all([readFile(path, 'utf8'), readFile(join(kit.folder, KIT_FILES.signature), 'utf8')]);
  const manifest = verifyManifest(json, signature, kit.caPem, path);
  if (manifest.federationId !== current.federationId) {
    throw new ConfigError(`${path} is for federation "${manifest.federationId}", this node runs in "${current.federationId}"`);
  }
  if (Date.parse(manifest.issuedAt) < Date.parse(current.issuedAt)) {
    throw new ConfigError(`${path} was issued ${manifest.issuedAt}, before the manifest in use (${current.issuedAt}); refusing to roll back`);
  }
  const stillRevoked = new Set(manifest.revoked.map((entry) => entry.serialNumber));
  const dropped = current.revoked.filter((entry) => !stillRevoked.has(entry.serialNumber));
  if (dropped.length > 0) {
    throw new ConfigError(`${path} no longer revokes certificate ${dropped.map((entry) => entry.serialNumber).join(', ')}; revocations are permanent`);
  }
  const self = current.nodes.find((node) => node.id === kit.nodeId);
  const revocation = self && manifest.revoked.find((entry) => entry.serialNumber === self.serialNumber);
  if (revocation) throw new KeyCustodyError(`this node (${kit.role} "${kit.nodeId}") was revoked on ${revocation.revokedAt} (${revocation.reason})`);
  return manifest;
}
