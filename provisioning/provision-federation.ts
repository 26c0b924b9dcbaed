import { access, chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { ConfigError } from '../protocols/errors.js';
import { formatConfigIssues } from '../protocols/job/format-config-issues.js';
import { createFederationCa } from './create-federation-ca.js';
import {
  CA_DIRECTORY,
  CA_KEY_FILE,
  federationInputSchema,
  KIT_FILES,
  signManifest,
  type FederationInputIn,
  type FederationManifest,
  type NodeRole,
} from '../protocols/trust/federation-manifest.js';
import { readCertificateRequest } from './certificate-request.js';
import { checkExternalNodeCertificate, checkExternalRoots, type ProvidedPem } from './external-certificates.js';
import type { CertificateFacts } from '../protocols/trust/certificate-facts.js';
import { issueNodeCertificate } from './issue-node-certificate.js';
import { writeManifestFiles } from './write-manifest-files.js';
import { writePrivateFile } from './write-private-file.js';

export { revokeNode } from './revoke-certificate.js';

export interface ProvisionOptions {
  /** Start of the node certificates' validity; default five minutes ago (tolerates clock skew). */
  readonly notBefore?: Date;
  /** End of the node certificates' validity; default `validityDays` from now. Tests use a past date to make expired kits. */
  readonly notAfter?: Date;
  /** Per-node windows that replace the above (drills and tests: one expired node in a live federation). */
  readonly nodeValidity?: Readonly<Record<string, { readonly notBefore: Date; readonly notAfter: Date }>>;
  /** node id -> Ed25519 ledger-signing public key (PEM), from the key folders' roster; pinned in the manifest. */
  readonly ledgerKeys?: Readonly<Record<string, string>>;
  /**
   * node id -> { pem, source } of the certificate signing request the node made on its own host
   * (`hefl provision request`): that node's certificate is issued for its public key and its kit gets no
   * node.key; the node adds its own with `hefl provision install`.
   */
  readonly requests?: Readonly<Record<string, { readonly pem: string; readonly source: string }>>;
  /** Root certificates of institutions' own CAs, named in the manifest (external-certificates.ts). */
  readonly externalRoots?: readonly ProvidedPem[];
  /** node id -> a certificate issued by one of `externalRoots` for that node's own key; its kit gets no node.key. */
  readonly externalCertificates?: Readonly<Record<string, ProvidedPem>>;
}

export interface ProvisionedFederation {
  /** node id -> kit folder (`<out>/<id>`). */
  readonly kits: Record<string, string>;
  /** `<out>/ca`: CA certificate, CA key (0600) and the authoritative signed manifest. Keep it offline. */
  readonly caDirectory: string;
  readonly manifest: FederationManifest;
}

const DAY_MS = 86_400_000;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function makePrivateDirectory(path: string): Promise<void> {
  await mkdir(path, { mode: 0o700 });
  await chmod(path, 0o700);
}

/** The coordinator certificate's host names: the host of its address plus the declared names (default localhost, 127.0.0.1). */
function coordinatorHosts(coordinator: { address: string; dnsNames?: string[] | undefined; ipAddresses?: string[] | undefined }): string[] {
  const host = coordinator.address.slice(0, coordinator.address.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1');
  return [...new Set([host, ...(coordinator.dnsNames ?? ['localhost']), ...(coordinator.ipAddresses ?? ['127.0.0.1'])])];
}

/**
 * `hefl provision`: a federation CA and one startup kit per node (coordinator, participants, auditors).
 * Each kit holds node.crt (role in its SAN URI), node.key (0600), ca.crt and the CA-signed manifest.
 * The CA key is written to `<out>/ca/ca.key` only. Refuses to write over an earlier provisioning.
 */
export async function provisionFederation(input: FederationInputIn, outDirectory: string, options: ProvisionOptions = {}): Promise<ProvisionedFederation> {
  const parsed = federationInputSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(formatConfigIssues('federation.json', parsed.error));
  const federation = parsed.data;

  const now = Date.now();
  const notBefore = options.notBefore ?? new Date(now - 5 * 60_000);
  const notAfter = options.notAfter ?? new Date(now + federation.validityDays * DAY_MS);
  const windows = [{ notBefore, notAfter }, ...Object.values(options.nodeValidity ?? {})];
  for (const window of windows) {
    if (window.notAfter.getTime() <= window.notBefore.getTime()) {
      throw new ConfigError(`certificate validity ends (${window.notAfter.toISOString()}) before it starts (${window.notBefore.toISOString()})`);
    }
  }

  const nodes: { id: string; role: NodeRole }[] = [
    { id: federation.coordinator.id, role: 'coordinator' },
    ...federation.participants.map((node) => ({ id: node.id, role: 'participant' as const })),
    ...federation.auditors.map((node) => ({ id: node.id, role: 'auditor' as const })),
  ];
  for (const id of Object.keys(options.nodeValidity ?? {})) {
    if (!nodes.some((node) => node.id === id)) throw new ConfigError(`nodeValidity names "${id}", which is not a node of this federation`);
  }
  for (const [id, request] of Object.entries(options.requests ?? {})) {
    if (!nodes.some((node) => node.id === id)) throw new ConfigError(`${request.source} is a request for "${id}", which is not a node of this federation`);
  }
  const caDirectory = join(outDirectory, CA_DIRECTORY);
  // Check every target first: a second run must not replace a CA or keys that kits were made from.
  for (const folder of [caDirectory, ...nodes.map((node) => join(outDirectory, node.id))]) {
    if (await exists(folder)) throw new ConfigError(`${folder} already exists; provision a federation into a new folder (or revoke nodes with \`hefl provision revoke\`)`);
  }
  // Every request and external certificate is checked before anything is issued, so a bad one leaves no half-made kits behind.
  const externalRoots = checkExternalRoots(options.externalRoots ?? []);
  const external = new Map<string, CertificateFacts>();
  for (const [id, file] of Object.entries(options.externalCertificates ?? {})) {
    const node = nodes.find((candidate) => candidate.id === id);
    if (!node) throw new ConfigError(`${file.source} is a certificate for "${id}", which is not a node of this federation`);
    if (options.requests?.[id]) throw new ConfigError(`"${id}" has both a signing request and an external certificate; give one`);
    external.set(id, checkExternalNodeCertificate(file, node, federation.federationId, externalRoots));
  }
  const requestedKeys = new Map<string, Awaited<ReturnType<typeof readCertificateRequest>>>();
  for (const [id, request] of Object.entries(options.requests ?? {})) requestedKeys.set(id, await readCertificateRequest(request.pem, id, request.source));
  await mkdir(outDirectory, { recursive: true });

  // The CA outlives every certificate it issues, so test windows in the past still chain.
  const ca = await createFederationCa({
    federationId: federation.federationId,
    notBefore: new Date(Math.min(now - 5 * 60_000, ...windows.map((window) => window.notBefore.getTime()))),
    notAfter: new Date(Math.max(now + federation.validityDays * DAY_MS, ...windows.map((window) => window.notAfter.getTime()))),
  });
  await makePrivateDirectory(caDirectory);
  await writeFile(join(caDirectory, KIT_FILES.ca), ca.certificatePem);
  await writePrivateFile(join(caDirectory, CA_KEY_FILE), ca.keyPem);

  const kits: Record<string, string> = {};
  const listed: FederationManifest['nodes'] = [];
  for (const node of nodes) {
    const externalFacts = external.get(node.id);
    if (externalFacts) {
      const kit = join(outDirectory, node.id);
      await makePrivateDirectory(kit);
      await writeFile(join(kit, KIT_FILES.certificate), (options.externalCertificates?.[node.id] as ProvidedPem).pem);
      await writeFile(join(kit, KIT_FILES.ca), ca.certificatePem);
      kits[node.id] = kit;
      listed.push({ id: node.id, role: node.role, certificateSha256: externalFacts.sha256, serialNumber: externalFacts.serialNumber });
      continue;
    }
    const requested = requestedKeys.get(node.id);
    const issued = await issueNodeCertificate({
      ca,
      federationId: federation.federationId,
      node,
      ...(node.role === 'coordinator' ? { hosts: coordinatorHosts(federation.coordinator) } : {}),
      ...(options.nodeValidity?.[node.id] ?? { notBefore, notAfter }),
      ...(requested ? { publicKey: requested } : {}),
    });
    const kit = join(outDirectory, node.id);
    await makePrivateDirectory(kit);
    await writeFile(join(kit, KIT_FILES.certificate), issued.certificatePem);
    if (issued.keyPem !== undefined) await writePrivateFile(join(kit, KIT_FILES.key), issued.keyPem);
    await writeFile(join(kit, KIT_FILES.ca), ca.certificatePem);
    kits[node.id] = kit;
    listed.push({ id: node.id, role: node.role, certificateSha256: issued.sha256, serialNumber: issued.serialNumber });
  }

  const manifest: FederationManifest = {
    format: 'hefl-manifest/1',
    federationId: federation.federationId,
    coordinatorAddress: federation.coordinator.address,
    nodes: listed,
    ckksParametersFingerprint: federation.ckksParametersFingerprint,
    ...(federation.ckks ? { ckks: federation.ckks } : {}),
    ...(federation.jobSha256 ? { jobSha256: federation.jobSha256 } : {}),
    ...(options.ledgerKeys ? { ledgerKeys: { ...options.ledgerKeys } } : {}),
    ...(options.externalRoots?.length ? { externalRoots: options.externalRoots.map((root) => root.pem.trim()) } : {}),
    revoked: [],
    issuedAt: new Date(now).toISOString(),
  };
  const signed = signManifest(manifest, createPrivateKey(ca.keyPem));
  // The CA folder keeps the authoritative copy that `revokeCertificate` re-signs.
  for (const folder of [caDirectory, ...Object.values(kits)]) await writeManifestFiles(folder, signed);
  return { kits, caDirectory, manifest };
}
