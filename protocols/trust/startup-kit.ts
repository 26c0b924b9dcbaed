import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ConfigError, KeyCustodyError } from '../errors.js';
import { verifyManifest, type FederationManifest, type NodeRole } from './federation-manifest.js';
import { certificateSha256, KIT_FILES } from './provision-federation.js';

export interface StartupKit {
  readonly nodeId: string;
  readonly role: NodeRole;
  readonly certificatePem: string;
  readonly keyPem: string;
  readonly caPem: string;
  readonly manifest: FederationManifest;
}

/** Reads a startup kit and checks it: chain to the kit's CA, CA-signed manifest listing this node, key matching, 0600. */
export async function loadStartupKit(folder: string): Promise<StartupKit> {
  const read = (name: string): Promise<string> =>
    readFile(join(folder, name), 'utf8').catch(() => {
      throw new ConfigError(`startup kit ${folder} has no ${name} (create kits with \`hefl provision\`)`);
    });
  const [certificatePem, keyPem, caPem, manifestJson, signature] = await Promise.all([
    read(KIT_FILES.certificate),
    read(KIT_FILES.key),
    read(KIT_FILES.ca),
    read(KIT_FILES.manifest),
    read(KIT_FILES.signature),
  ]);
  if (((await stat(join(folder, KIT_FILES.key))).mode & 0o077) !== 0) throw new KeyCustodyError(`${join(folder, KIT_FILES.key)} is readable by other users; run chmod 600 on it`);
  const certificate = new X509Certificate(certificatePem);
  if (!certificate.verify(createPublicKey(caPem))) throw new ConfigError(`${folder}: ${KIT_FILES.certificate} is not signed by the kit's CA`);
  if (!certificate.checkPrivateKey(createPrivateKey(keyPem))) throw new ConfigError(`${folder}: ${KIT_FILES.key} does not match ${KIT_FILES.certificate}`);
  const manifest = verifyManifest(manifestJson, signature, caPem, join(folder, KIT_FILES.manifest));
  const entry = manifest.nodes.find((node) => node.certificateSha256 === certificateSha256(certificatePem));
  if (!entry) throw new ConfigError(`${folder}: this node's certificate is not listed in the federation manifest`);
  return { nodeId: entry.id, role: entry.role, certificatePem, keyPem, caPem, manifest };
}

export function serverCredentialsFor(kit: StartupKit): grpc.ServerCredentials {
  return grpc.ServerCredentials.createSsl(Buffer.from(kit.caPem), [{ cert_chain: Buffer.from(kit.certificatePem), private_key: Buffer.from(kit.keyPem) }], true);
}

export function channelCredentialsFor(kit: StartupKit): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(Buffer.from(kit.caPem), Buffer.from(kit.keyPem), Buffer.from(kit.certificatePem));
}

/**
 * Who the verified client certificate says the caller is. TLS already checked the chain to the CA;
 * here the certificate must be listed in the signed manifest as a participant, not revoked, and valid.
 */
export function participantFromPeerCertificate(
  manifest: FederationManifest,
  peer: { fingerprint256?: string; serialNumber?: string; valid_to?: string } | undefined,
): { nodeId: string } | { refused: string } {
  if (!peer?.fingerprint256) return { refused: 'no client certificate: this coordinator accepts mutual TLS only' };
  const sha256 = peer.fingerprint256.replaceAll(':', '').toLowerCase();
  const node = manifest.nodes.find((entry) => entry.certificateSha256 === sha256);
  if (!node) return { refused: 'the client certificate is not in the federation manifest' };
  if (manifest.revoked.some((entry) => entry.serialNumber === node.serialNumber)) return { refused: `the certificate of "${node.id}" is revoked` };
  if (peer.valid_to && Date.parse(peer.valid_to) < Date.now()) return { refused: `the certificate of "${node.id}" has expired` };
  if (node.role !== 'participant') return { refused: `"${node.id}" is a ${node.role}, not a participant` };
  return { nodeId: node.id };
}
