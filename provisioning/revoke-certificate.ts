import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, KeyCustodyError } from '../protocols/errors.js';
import { CA_KEY_FILE, KIT_FILES, signManifest, verifyManifest, type FederationManifest } from '../protocols/trust/federation-manifest.js';
import { writeManifestFiles } from './write-manifest-files.js';

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read ${what} ${path}`, { cause });
  }
}

/** Revokes a node in the CA's manifest and writes the re-signed manifest into the given kit folders. */
async function revokeInto(caDirectory: string, kitFolders: readonly string[], nodeId: string, reason: string): Promise<{ manifest: FederationManifest; updatedKits: string[] }> {
  if (reason.trim().length === 0) throw new ConfigError('a revocation needs a reason');
  const caPem = await readText(join(caDirectory, KIT_FILES.ca), 'the CA certificate');
  const caKey = createPrivateKey(await readText(join(caDirectory, CA_KEY_FILE), 'the CA key'));
  if (!new X509Certificate(caPem).checkPrivateKey(caKey)) throw new KeyCustodyError(`${join(caDirectory, CA_KEY_FILE)} does not belong to ${join(caDirectory, KIT_FILES.ca)}`);
  // Start from the CA's own copy, verified: re-signing an edited manifest would launder the edit.
  const current = verifyManifest(
    await readText(join(caDirectory, KIT_FILES.manifest), 'the CA manifest'),
    await readText(join(caDirectory, KIT_FILES.signature), 'the CA manifest signature'),
    caPem,
    join(caDirectory, KIT_FILES.manifest),
  );
  const node = current.nodes.find((entry) => entry.id === nodeId);
  if (!node) throw new ConfigError(`no node "${nodeId}" in federation "${current.federationId}" (nodes: ${current.nodes.map((entry) => entry.id).join(', ')})`);
  // issuedAt strictly increases, so nodes can refuse an older (pre-revocation) manifest.
  const issuedAt = new Date(Math.max(Date.now(), Date.parse(current.issuedAt) + 1)).toISOString();
  const manifest: FederationManifest = current.revoked.some((entry) => entry.serialNumber === node.serialNumber)
    ? { ...current, issuedAt }
    : { ...current, revoked: [...current.revoked, { serialNumber: node.serialNumber, reason: reason.trim(), revokedAt: issuedAt }], issuedAt };
  const signed = signManifest(manifest, caKey);
  await writeManifestFiles(caDirectory, signed);
  const updatedKits: string[] = [];
  for (const kit of kitFolders) {
    // Only kits of this federation: their ca.crt is this CA.
    const kitCa = await readFile(join(kit, KIT_FILES.ca), 'utf8').catch(() => undefined);
    if (kitCa === undefined || kitCa.trim() !== caPem.trim()) continue;
    await writeManifestFiles(kit, signed);
    updatedKits.push(kit);
  }
  return { manifest, updatedKits };
}

/**
 * `hefl provision revoke`: adds the node's certificate serial to the manifest's revocation list and
 * re-signs the manifest in the CA folder and in every kit of this federation under `kitsDirectory`.
 * Running nodes pick it up with `reloadManifest`; the revoked node's own kit no longer loads.
 */
export async function revokeCertificate(
  caDirectory: string,
  kitsDirectory: string,
  nodeId: string,
  reason: string,
): Promise<{ manifest: FederationManifest; updatedKits: string[] }> {
  let entries: Dirent[];
  try {
    entries = await readdir(kitsDirectory, { withFileTypes: true });
  } catch (cause) {
    throw new ConfigError(`cannot read the kits folder ${kitsDirectory}`, { cause });
  }
  const kits = entries.filter((entry) => entry.isDirectory()).map((entry) => join(kitsDirectory, entry.name)).filter((kit) => kit !== join(caDirectory));
  return revokeInto(caDirectory, kits, nodeId, reason);
}

/** @deprecated Use `revokeCertificate`; kept for the CLI until it switches. Updates the given kit folders. */
export async function revokeNode(caDirectory: string, kits: readonly string[], nodeId: string, reason: string): Promise<FederationManifest> {
  return (await revokeInto(caDirectory, kits, nodeId, reason)).manifest;
}
