import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

/** `federation.json`: who is in the federation, as `hefl provision` reads it. */
export const federationInputSchema = z.object({
  federationId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/),
  coordinator: z.object({
    address: z.string().regex(/^([^\s:]+|\[[0-9a-fA-F:]+\]):\d{1,5}$/, 'host:port'),
    dnsNames: z.array(z.string().min(1)).default(['localhost']),
    ipAddresses: z.array(z.string().min(1)).default(['127.0.0.1']),
  }),
  participants: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/)).min(1),
  auditors: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/)).default(['auditor']),
  /** SHA-256 fingerprint of the CKKS parameters every job of this federation must use (hefl keys init prints jobs' too). */
  ckksParametersFingerprint: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  validityDays: z.number().int().min(1).max(3_650).default(365),
});
export type FederationInput = z.infer<typeof federationInputSchema>;

export type NodeRole = 'coordinator' | 'participant' | 'auditor';

/** The CA-signed manifest in every startup kit. */
export const federationManifestSchema = z.object({
  format: z.literal('hefl-manifest/1'),
  federationId: z.string(),
  coordinatorAddress: z.string(),
  nodes: z.array(
    z.object({
      id: z.string(),
      role: z.enum(['coordinator', 'participant', 'auditor']),
      certificateSha256: z.string().regex(/^[0-9a-f]{64}$/),
      serialNumber: z.string().regex(/^[0-9a-f]+$/),
    }),
  ),
  revoked: z.array(z.object({ serialNumber: z.string(), reason: z.string(), revokedAt: z.string() })),
  ckksParametersFingerprint: z.string().optional(),
  issuedAt: z.string(),
});
export type FederationManifest = z.infer<typeof federationManifestSchema>;

function canonical(manifest: FederationManifest): Buffer {
  return Buffer.from(JSON.stringify(manifest), 'utf8');
}

/** Detached ECDSA P-256 signature of the CA over the manifest's exact JSON bytes (base64). */
export function signManifest(manifest: FederationManifest, caKey: KeyObject): { json: string; signature: string } {
  const json = canonical(manifest).toString('utf8');
  return { json, signature: sign('sha256', Buffer.from(json, 'utf8'), caKey).toString('base64') };
}

/** Parses and checks a manifest against the federation CA; throws naming what failed. */
export function verifyManifest(json: string, signature: string, caCertificatePem: string, source: string): FederationManifest {
  const caKey = createPublicKey(caCertificatePem);
  let valid = false;
  try {
    valid = verify('sha256', Buffer.from(json, 'utf8'), caKey, Buffer.from(signature.trim(), 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) throw new ConfigError(`${source}: the manifest signature does not verify against the federation CA`);
  const parsed = federationManifestSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new ConfigError(`${source}: not a HEFL federation manifest`);
  return parsed.data;
}
