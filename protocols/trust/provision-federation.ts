import 'reflect-metadata'; // @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs it
import { createHash, createPrivateKey, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { FederationInput, FederationManifest, NodeRole } from './federation-manifest.js';
import { federationManifestSchema, signManifest } from './federation-manifest.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type KeyPair = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
export const KIT_FILES = { certificate: 'node.crt', key: 'node.key', ca: 'ca.crt', manifest: 'manifest.json', signature: 'manifest.sig' } as const;

function pem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${base64.trimEnd()}\n-----END ${label}-----\n`;
}

async function writePrivate(path: string, contents: string): Promise<void> {
  await writeFile(path, contents, { mode: 0o600 });
  await chmod(path, 0o600);
}

export function certificateSha256(certificatePem: string): string {
  return createHash('sha256').update(new Uint8Array(new x509.X509Certificate(certificatePem).rawData)).digest('hex');
}

/**
 * `hefl provision`: a federation CA and one startup kit per node (coordinator, participants,
 * auditors): an ECDSA P-256 certificate whose SAN URI carries the role, its private key (0600), the
 * CA certificate and the CA-signed manifest. The CA key stays in `out/ca/` and in no kit.
 */
export async function provisionFederation(
  input: FederationInput,
  outDirectory: string,
  options: { notBefore?: Date; notAfter?: Date } = {},
): Promise<{ kits: Record<string, string>; caDirectory: string }> {
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + input.validityDays * 86_400_000);
  const caKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as unknown as KeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=HEFL federation ${input.federationId} CA`,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const caPem = ca.toString('pem');
  const caKeyPem = pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', caKeys.privateKey as unknown as webcrypto.CryptoKey));
  const caDirectory = join(outDirectory, 'ca');
  await mkdir(caDirectory, { recursive: true, mode: 0o700 });
  await writeFile(join(caDirectory, KIT_FILES.ca), caPem);
  await writePrivate(join(caDirectory, 'ca.key'), caKeyPem);

  const nodes: { id: string; role: NodeRole }[] = [
    { id: 'coordinator', role: 'coordinator' },
    ...input.participants.map((id) => ({ id, role: 'participant' as const })),
    ...input.auditors.map((id) => ({ id, role: 'auditor' as const })),
  ];
  const issued: { id: string; role: NodeRole; certificatePem: string; keyPem: string; serialNumber: string }[] = [];
  for (const [index, node] of nodes.entries()) {
    const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as unknown as KeyPair;
    const serialNumber = (index + 2).toString(16).padStart(2, '0');
    const names: { type: 'dns' | 'ip' | 'url'; value: string }[] = [{ type: 'url', value: `hefl://${input.federationId}/${node.role}/${node.id}` }];
    if (node.role === 'coordinator') {
      names.push(...input.coordinator.dnsNames.map((value) => ({ type: 'dns' as const, value })), ...input.coordinator.ipAddresses.map((value) => ({ type: 'ip' as const, value })));
    }
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject: `CN=${node.id}`,
      issuer: ca.subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
        new x509.ExtendedKeyUsageExtension(
          node.role === 'coordinator' ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] : [x509.ExtendedKeyUsage.clientAuth],
        ),
        new x509.SubjectAlternativeNameExtension(names),
      ],
    });
    issued.push({
      ...node,
      certificatePem: certificate.toString('pem'),
      keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey)),
      serialNumber,
    });
  }
  const manifest: FederationManifest = {
    format: 'hefl-manifest/1',
    federationId: input.federationId,
    coordinatorAddress: input.coordinator.address,
    nodes: issued.map((node) => ({ id: node.id, role: node.role, certificateSha256: certificateSha256(node.certificatePem), serialNumber: node.serialNumber })),
    revoked: [],
    ...(input.ckksParametersFingerprint ? { ckksParametersFingerprint: input.ckksParametersFingerprint } : {}),
    issuedAt: new Date().toISOString(),
  };
  const kits: Record<string, string> = {};
  for (const node of issued) {
    const kit = join(outDirectory, node.id);
    await mkdir(kit, { recursive: true, mode: 0o700 });
    await writeFile(join(kit, KIT_FILES.certificate), node.certificatePem);
    await writePrivate(join(kit, KIT_FILES.key), node.keyPem);
    await writeFile(join(kit, KIT_FILES.ca), caPem);
    kits[node.id] = kit;
  }
  await writeManifestEverywhere(manifest, createPrivateKey(caKeyPem), Object.values(kits));
  return { kits, caDirectory };
}

async function writeManifestEverywhere(manifest: FederationManifest, caKey: ReturnType<typeof createPrivateKey>, kits: readonly string[]): Promise<void> {
  const signed = signManifest(manifest, caKey);
  for (const kit of kits) {
    await writeFile(join(kit, KIT_FILES.manifest), signed.json);
    await writeFile(join(kit, KIT_FILES.signature), `${signed.signature}\n`);
  }
}

/** Adds a node's certificate to the revocation list and re-signs the manifest in every given kit. */
export async function revokeNode(caDirectory: string, kits: readonly string[], nodeId: string, reason: string): Promise<FederationManifest> {
  const caKey = createPrivateKey(await readFile(join(caDirectory, 'ca.key'), 'utf8'));
  const first = kits[0];
  if (!first) throw new Error('no kit to update');
  const manifest = federationManifestSchema.parse(JSON.parse(await readFile(join(first, KIT_FILES.manifest), 'utf8')));
  const node = manifest.nodes.find((entry) => entry.id === nodeId);
  if (!node) throw new Error(`no node "${nodeId}" in the federation`);
  const updated: FederationManifest = {
    ...manifest,
    revoked: [...manifest.revoked.filter((entry) => entry.serialNumber !== node.serialNumber), { serialNumber: node.serialNumber, reason, revokedAt: new Date().toISOString() }],
    issuedAt: new Date().toISOString(),
  };
  await writeManifestEverywhere(updated, caKey, kits);
  return updated;
}
