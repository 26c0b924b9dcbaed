import { isIP } from 'node:net';
import { sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ckksParametersFingerprint } from '../ckks/ckks-parameters-fingerprint.js';
import { ConfigError } from '../errors.js';
import { ckksParametersSchema, SINGLE_KEY_DEFAULT_CKKS, THRESHOLD_DEFAULT_CKKS } from '../ckks/ckks-parameters.js';
import { formatConfigIssues } from '../job/format-config-issues.js';
import { canonicalJson } from '../job/canonical-json.js';
import { NODE_ID_PATTERN, NODE_ROLES } from './node-uri.js';

export { NODE_ROLES, type NodeRole } from './node-uri.js';

/** The files of a startup kit, and of the CA folder (which also keeps the authoritative manifest). */
export const KIT_FILES = { certificate: 'node.crt', key: 'node.key', ca: 'ca.crt', manifest: 'manifest.json', signature: 'manifest.sig' } as const;
export const CA_KEY_FILE = 'ca.key';
export const CA_DIRECTORY = 'ca';

export const nodeIdSchema = z.string().regex(NODE_ID_PATTERN, 'lower-case letters, digits, ".", "_" or "-", at most 63 characters');
const nodeId = nodeIdSchema;
// `"bank"` and `{"id": "bank"}` both name a node, so the short form in the README keeps working.
const nodeEntry = z.union([nodeId, z.strictObject({ id: nodeId })]).transform((entry) => (typeof entry === 'string' ? { id: entry } : entry));
const dnsName = z
  .string()
  .regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i, 'a DNS name (no wildcards)');
const ipAddress = z.string().refine((value) => isIP(value) !== 0, 'an IPv4 or IPv6 address');
const hostPort = /^([^\s:/[\]]+|\[[0-9a-fA-F:.]+\]):(\d{1,5})$/;

/** `federation.json`: who is in the federation, as `hefl provision --federation` reads it. */
export const federationInputSchema = z
  .strictObject({
    federationId: nodeId,
    coordinator: z.strictObject({
      id: nodeId.default('coordinator'),
      /** host:port the participants dial; its host goes into the coordinator certificate. */
      address: z
        .string()
        .regex(hostPort, 'host:port (IPv6 as [addr]:port)')
        // zod runs every refinement, so this one stays quiet when the shape is already wrong.
        .refine((address) => !hostPort.test(address) || Number(address.slice(address.lastIndexOf(':') + 1)) <= 65_535, 'port above 65535')
        .refine((address) => !/^(0\.0\.0\.0|\[::\]):/.test(address), 'a bind-all address is not something participants can dial'),
      dnsNames: z.array(dnsName).optional(),
      ipAddresses: z.array(ipAddress).optional(),
    }),
    participants: z.array(nodeEntry).min(1).max(1_000),
    auditors: z.array(nodeEntry).max(100).default([{ id: 'auditor' }]),
    ckks: ckksParametersSchema.optional(),
    /** Pins the CKKS parameters by hash instead (what `hefl provision --job` passes); must match `ckks` if both are given. */
    ckksParametersFingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 lower-case hex digits').optional(),
    /** Pins the whole job by its SHA-256 (`jobSha256`; what `hefl provision --job` passes): nodes refuse any other job. */
    jobSha256: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 lower-case hex digits').optional(),
    custody: z.enum(['threshold', 'single-key', 'none']).default('threshold'),
    validityDays: z.number().int().min(1).max(3_650).default(365),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    const ids: [string, (string | number)[]][] = [
      [input.coordinator.id, ['coordinator', 'id']],
      ...input.participants.map((node, index): [string, (string | number)[]] => [node.id, ['participants', index, 'id']]),
      ...input.auditors.map((node, index): [string, (string | number)[]] => [node.id, ['auditors', index, 'id']]),
    ];
    for (const [id, path] of ids) {
      // Each node gets the kit folder <out>/<id>; "ca" is the CA's own folder.
      if (id === CA_DIRECTORY) ctx.addIssue({ code: 'custom', path, message: `"${CA_DIRECTORY}" is reserved for the CA folder` });
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path, message: `node id "${id}" is used twice (ids are unique across coordinator, participants and auditors)` });
      seen.add(id);
    }
    if (input.ckks && input.ckksParametersFingerprint && ckksParametersFingerprint(input.ckks) !== input.ckksParametersFingerprint) {
      ctx.addIssue({ code: 'custom', path: ['ckksParametersFingerprint'], message: `does not match the "ckks" parameters given (their fingerprint is ${ckksParametersFingerprint(input.ckks)})` });
    }
  })
  // Like the job: without explicit CKKS parameters (or their fingerprint), the custody mode picks the default.
  .transform((input) => {
    if (input.ckksParametersFingerprint !== undefined) return { ...input, ckksParametersFingerprint: input.ckksParametersFingerprint };
    const ckks = input.ckks ?? ckksParametersSchema.parse(input.custody === 'threshold' ? THRESHOLD_DEFAULT_CKKS : SINGLE_KEY_DEFAULT_CKKS);
    return { ...input, ckks, ckksParametersFingerprint: ckksParametersFingerprint(ckks) };
  });

export type FederationInput = z.infer<typeof federationInputSchema>;
export type FederationInputIn = z.input<typeof federationInputSchema>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 lower-case hex digits');
const serialHex = z.string().regex(/^[0-9a-f]{1,40}$/, 'a certificate serial as lower-case hex');

export const manifestNodeSchema = z.strictObject({
  id: nodeId,
  role: z.enum(NODE_ROLES),
  certificateSha256: sha256Hex,
  serialNumber: serialHex,
});

export const revocationSchema = z.strictObject({
  serialNumber: serialHex,
  reason: z.string().min(1).max(1_000),
  revokedAt: z.iso.datetime(),
});

/** The CA-signed manifest in every startup kit: the nodes, their roles and certificate hashes, revocations. */
export const federationManifestSchema = z
  .strictObject({
    format: z.literal('hefl-manifest/1'),
    federationId: nodeId,
    coordinatorAddress: z.string().regex(hostPort),
    nodes: z.array(manifestNodeSchema).min(1),
    ckksParametersFingerprint: sha256Hex,
    /** The pinned parameters themselves (when provisioned with the job), so an auditor can re-classify payloads. */
    ckks: ckksParametersSchema.optional(),
    /** SHA-256 of the whole job (`jobSha256`) when provisioned with `--job`: coordinator and participants refuse any other job. */
    jobSha256: sha256Hex.optional(),
    /**
     * node id -> the Ed25519 public key (SPKI PEM) that signs the node's ledger, from the key folders'
     * roster (`provision --roster`): with it, an auditor's kit alone says whose signature is whose.
     */
    ledgerKeys: z.record(nodeId, z.string().startsWith('-----BEGIN PUBLIC KEY-----').max(1_000)).optional(),
    /**
     * Root certificates (PEM) of institutions' own CAs: a participant's certificate may chain to one of
     * these instead of the federation CA. Trusted because this manifest, signed by the federation CA,
     * names them; the node's certificate itself is still pinned by its SHA-256 in `nodes`.
     */
    externalRoots: z.array(z.string().startsWith('-----BEGIN CERTIFICATE-----').max(20_000)).max(32).optional(),
    revoked: z.array(revocationSchema),
    issuedAt: z.iso.datetime(),
  })
  .superRefine((manifest, ctx) => {
    if (manifest.ckks && ckksParametersFingerprint(manifest.ckks) !== manifest.ckksParametersFingerprint) {
      ctx.addIssue({ code: 'custom', path: ['ckks'], message: 'these parameters do not have the pinned ckksParametersFingerprint' });
    }
    for (const id of Object.keys(manifest.ledgerKeys ?? {})) {
      if (!manifest.nodes.some((node) => node.id === id)) ctx.addIssue({ code: 'custom', path: ['ledgerKeys', id], message: `"${id}" is not a node of this federation` });
    }
    const ids = new Set<string>();
    const hashes = new Set<string>();
    for (const [index, node] of manifest.nodes.entries()) {
      if (ids.has(node.id)) ctx.addIssue({ code: 'custom', path: ['nodes', index, 'id'], message: `node "${node.id}" is listed twice` });
      if (hashes.has(node.certificateSha256)) ctx.addIssue({ code: 'custom', path: ['nodes', index, 'certificateSha256'], message: 'certificate listed twice' });
      ids.add(node.id);
      hashes.add(node.certificateSha256);
    }
    if (manifest.nodes.filter((node) => node.role === 'coordinator').length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['nodes'], message: 'a federation has exactly one coordinator' });
    }
  });

export type FederationManifest = z.infer<typeof federationManifestSchema>;
export type Manifest = FederationManifest;
export type ManifestNode = z.infer<typeof manifestNodeSchema>;
export type Revocation = z.infer<typeof revocationSchema>;

function requireP256(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new ConfigError(`${what} is not an ECDSA P-256 key (a HEFL federation CA uses P-256 only)`);
  }
}

/**
 * Detached ECDSA P-256 / SHA-256 signature of the CA over the manifest's canonical JSON bytes.
 * `json` is exactly what goes into manifest.json, `signature` (base64 DER) into manifest.sig.
 */
export function signManifest(manifest: FederationManifest, caKey: KeyObject): { json: string; signature: string } {
  if (caKey.type !== 'private') throw new ConfigError('signManifest needs the CA private key');
  requireP256(caKey, 'the CA key');
  // Never sign something the verifiers would then reject.
  const checked = federationManifestSchema.safeParse(manifest);
  if (!checked.success) throw new ConfigError(formatConfigIssues('manifest to sign', checked.error));
  const json = canonicalJson(checked.data);
  const signature = sign('sha256', Buffer.from(json, 'utf8'), { key: caKey, dsaEncoding: 'der' }).toString('base64');
  return { json, signature };
}

/**
 * Checks manifest.json against manifest.sig and the federation CA certificate, then parses it.
 * The signature covers the exact bytes read, so any edit (even whitespace) is refused.
 * Throws a ConfigError naming what failed: the CA certificate, the signature, or the content.
 */
export function verifyManifest(manifestJson: string, signature: string, caCertificatePem: string, source: string = KIT_FILES.manifest): FederationManifest {
  let caPublicKey: KeyObject;
  try {
    caPublicKey = new X509Certificate(caCertificatePem).publicKey;
  } catch (cause) {
    throw new ConfigError(`${source}: the CA certificate to verify it with is not a valid X.509 certificate`, { cause });
  }
  requireP256(caPublicKey, 'the CA certificate');
  const signatureText = signature.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureText)) {
    throw new ConfigError(`${source}: the manifest signature (${KIT_FILES.signature}) is not base64`);
  }
  let valid: boolean;
  try {
    valid = verify('sha256', Buffer.from(manifestJson, 'utf8'), { key: caPublicKey, dsaEncoding: 'der' }, Buffer.from(signatureText, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new ConfigError(
      `${source}: the manifest signature (${KIT_FILES.signature}) does not verify against the federation CA: the manifest was altered or signed by another CA`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(manifestJson);
  } catch (cause) {
    throw new ConfigError(`${source}: signed, but not JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = federationManifestSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatConfigIssues(source, parsed.error));
  return parsed.data;
}
