import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, KeyCustodyError } from '../errors.js';
import { readCertificateFacts } from './certificate-facts.js';
import { CA_KEY_FILE, KIT_FILES, verifyManifest, type FederationManifest, type NodeRole } from './federation-manifest.js';

export interface StartupKit {
  /** The kit folder; `reloadManifest` re-reads the manifest from here. */
  readonly folder: string;
  readonly nodeId: string;
  readonly role: NodeRole;
  readonly certificatePem: string;
  readonly keyPem: string;
  readonly caPem: string;
  readonly manifest: FederationManifest;
}

function checkValidity(what: string, window: { notBefore: Date; notAfter: Date }, now: Date): void {
  if (now.getTime() < window.notBefore.getTime()) throw new ConfigError(`${what} is not valid before ${window.notBefore.toISOString()} (check this machine's clock)`);
  if (now.getTime() > window.notAfter.getTime()) {
    throw new ConfigError(`${what} expired on ${window.notAfter.toISOString()}; ask the federation operator for a new startup kit`);
  }
}

/**
 * Reads a startup kit and checks all of it before a node uses it: no CA key in it, node.key mode
 * 0600 and matching node.crt, node.crt issued by the kit's CA and currently valid, manifest.json
 * signed by that CA, this certificate listed there with the role and id in its SAN URI, and not revoked.
 */
export async function loadStartupKit(folder: string, options: { now?: Date } = {}): Promise<StartupKit> {
  const now = options.now ?? new Date();
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (cause) {
    throw new ConfigError(`startup kit ${folder} does not exist or cannot be read (create kits with \`hefl provision\`)`, { cause });
  }
  if (names.includes(CA_KEY_FILE)) {
    throw new KeyCustodyError(`startup kit ${folder} contains the federation CA key (${CA_KEY_FILE}); it belongs in the offline CA folder only. Remove it and re-provision.`);
  }
  for (const name of Object.values(KIT_FILES)) {
    if (!names.includes(name)) throw new ConfigError(`startup kit ${folder} has no ${name} (create kits with \`hefl provision\`)`);
  }
  const path = (name: string): string => join(folder, name);
  const keyMode = (await stat(path(KIT_FILES.key))).mode;
  if ((keyMode & 0o077) !== 0) {
    throw new KeyCustodyError(`${path(KIT_FILES.key)} is accessible to other users (mode ${(keyMode & 0o777).toString(8)}); run chmod 600 on it`);
  }
  const [certificatePem, keyPem, caPem, manifestJson, signature] = await Promise.all(
    [KIT_FILES.certificate, KIT_FILES.key, KIT_FILES.ca, KIT_FILES.manifest, KIT_FILES.signature].map((name) => readFile(path(name), 'utf8')),
  ) as [string, string, string, string, string];

  const parse = (pem: string, name: string): X509Certificate => {
    try {
      return new X509Certificate(pem);
    } catch (cause) {
      throw new ConfigError(`${path(name)} is not a PEM certificate`, { cause });
    }
  };
  const ca = parse(caPem, KIT_FILES.ca);
  if (!ca.ca || !ca.checkIssued(ca) || !ca.verify(ca.publicKey)) throw new ConfigError(`${path(KIT_FILES.ca)} is not a self-signed CA certificate`);
  checkValidity(`the federation CA certificate ${path(KIT_FILES.ca)}`, readCertificateFacts(caPem), now);

  // The manifest first: it says which external roots (institutions' own CAs) are trusted besides the kit's CA.
  const manifest = verifyManifest(manifestJson, signature, caPem, path(KIT_FILES.manifest));
  const certificate = parse(certificatePem, KIT_FILES.certificate);
  const issuers = [ca, ...(manifest.externalRoots ?? []).map((pem) => new X509Certificate(pem))];
  if (!issuers.some((issuer) => certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey))) {
    throw new ConfigError(
      `${path(KIT_FILES.certificate)} is not issued by the kit's CA (${KIT_FILES.ca})${manifest.externalRoots?.length ? ' nor by an external root the manifest names' : ''}; the kit mixes two federations`,
    );
  }
  const facts = readCertificateFacts(certificatePem);
  checkValidity(`${path(KIT_FILES.certificate)}`, facts, now);

  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (cause) {
    throw new KeyCustodyError(`${path(KIT_FILES.key)} is not a PEM private key`, { cause });
  }
  if (!certificate.checkPrivateKey(key)) throw new KeyCustodyError(`${path(KIT_FILES.key)} does not belong to ${KIT_FILES.certificate}`);

  const entry = manifest.nodes.find((node) => node.certificateSha256 === facts.sha256);
  if (!entry) throw new ConfigError(`${path(KIT_FILES.certificate)} (SHA-256 ${facts.sha256}) is not listed in the federation manifest`);
  const uri = facts.nodeUri;
  if (!uri || uri.federationId !== manifest.federationId || uri.role !== entry.role || uri.nodeId !== entry.id || entry.serialNumber !== facts.serialNumber) {
    throw new ConfigError(
      `${path(KIT_FILES.certificate)} does not match its manifest entry (${entry.role} "${entry.id}" of federation "${manifest.federationId}"): its SAN URI or serial differs`,
    );
  }
  const revocation = manifest.revoked.find((revoked) => revoked.serialNumber === entry.serialNumber);
  if (revocation) {
    throw new KeyCustodyError(`the certificate of ${entry.role} "${entry.id}" in ${folder} was revoked on ${revocation.revokedAt} (${revocation.reason})`);
  }
  return { folder, nodeId: entry.id, role: entry.role, certificatePem, keyPem, caPem, manifest };
}
