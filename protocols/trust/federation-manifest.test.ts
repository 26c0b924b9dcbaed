import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ckksParametersFingerprint } from '../ckks/ckks-parameters-fingerprint.js';
import { ConfigError } from '../errors.js';
import { SINGLE_KEY_DEFAULT_CKKS, THRESHOLD_DEFAULT_CKKS } from '../ckks/ckks-parameters.js';
import { createFederationCa } from '../../provisioning/create-federation-ca.js';
import { federationInputSchema, signManifest, verifyManifest, type FederationManifest } from './federation-manifest.js';

const window = { notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) };
const manifest: FederationManifest = {
  format: 'hefl-manifest/1',
  federationId: 'banks',
  coordinatorAddress: '127.0.0.1:7700',
  nodes: [
    { id: 'coordinator', role: 'coordinator', certificateSha256: 'a'.repeat(64), serialNumber: '4a' },
    { id: 'bank', role: 'participant', certificateSha256: 'b'.repeat(64), serialNumber: '4b' },
  ],
  ckksParametersFingerprint: 'c'.repeat(64),
  revoked: [],
  issuedAt: new Date().toISOString(),
};

describe('federation.json', () => {
  it('accepts ids as strings or {id}, and fills defaults like the job (custody picks the CKKS parameters)', () => {
    const input = federationInputSchema.parse({
      federationId: 'banks',
      coordinator: { address: 'coordinator.bank.example:7700', dnsNames: ['coordinator.bank.example'] },
      participants: ['bank', { id: 'shop' }],
    });
    expect(input.coordinator.id).toBe('coordinator');
    expect(input.participants).toEqual([{ id: 'bank' }, { id: 'shop' }]);
    expect(input.auditors).toEqual([{ id: 'auditor' }]);
    expect(input.custody).toBe('threshold');
    const thresholdDefault = ckksParametersFingerprint({ ...THRESHOLD_DEFAULT_CKKS, coeffModulusBits: [...THRESHOLD_DEFAULT_CKKS.coeffModulusBits] });
    expect(input.ckksParametersFingerprint).toBe(thresholdDefault);
    expect(federationInputSchema.parse(input)).toEqual(input); // parsing again changes nothing
    expect(input.validityDays).toBe(365);
  });

  it('pins the CKKS parameters by fingerprint instead, which must agree with explicit parameters', () => {
    const base = { federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank'] };
    const singleKey = federationInputSchema.parse({ ...base, custody: 'single-key' });
    const singleKeyDefault = ckksParametersFingerprint({ ...SINGLE_KEY_DEFAULT_CKKS, coeffModulusBits: [...SINGLE_KEY_DEFAULT_CKKS.coeffModulusBits] });
    expect(singleKey.ckksParametersFingerprint).toBe(singleKeyDefault);
    const pinned = federationInputSchema.parse({ ...base, ckksParametersFingerprint: 'e'.repeat(64) });
    expect(pinned.ckksParametersFingerprint).toBe('e'.repeat(64));
    expect(pinned.ckks).toBeUndefined();
    const clash = federationInputSchema.safeParse({ ...base, ckks: SINGLE_KEY_DEFAULT_CKKS, ckksParametersFingerprint: 'e'.repeat(64) });
    expect(clash.error?.issues[0]?.path).toEqual(['ckksParametersFingerprint']);
  });

  it('names the field that is wrong', () => {
    const attempt = (input: object) => federationInputSchema.safeParse({ federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank'], ...input });
    const issues = (input: object) => (attempt(input).error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues({ participants: ['bank', 'bank'] })).toEqual([expect.stringMatching(/^participants\.1\.id: node id "bank" is used twice/)]);
    expect(issues({ auditors: ['ca'] })).toEqual([expect.stringMatching(/^auditors\.0\.id: "ca" is reserved/)]);
    expect(issues({ coordinator: { address: '0.0.0.0:7700' } })).toEqual([expect.stringMatching(/^coordinator\.address: a bind-all address/)]);
    expect(issues({ coordinator: { address: '127.0.0.1' } })).toEqual([expect.stringMatching(/^coordinator\.address: host:port/)]);
    expect(issues({ coordinator: { address: '127.0.0.1:1', ipAddresses: ['10.0.0.300'] } })).toEqual([expect.stringMatching(/^coordinator\.ipAddresses\.0: an IPv4 or IPv6 address/)]);
    expect(issues({ participant: ['typo'] }).join()).toMatch(/participant/);
  });
});

describe('signManifest / verifyManifest', () => {
  it('round-trips through canonical JSON signed with the CA key', async () => {
    const ca = await createFederationCa({ federationId: 'banks', ...window });
    const signed = signManifest(manifest, createPrivateKey(ca.keyPem));
    expect(signed.json).toBe(JSON.stringify(JSON.parse(signed.json))); // compact
    expect(signed.json.indexOf('"coordinatorAddress"')).toBeLessThan(signed.json.indexOf('"federationId"')); // sorted keys
    expect(verifyManifest(signed.json, signed.signature, ca.certificatePem)).toEqual(manifest);
  });

  it('refuses a manifest with one byte changed, naming the signature', async () => {
    const ca = await createFederationCa({ federationId: 'banks', ...window });
    const signed = signManifest(manifest, createPrivateKey(ca.keyPem));
    const tampered = signed.json.replace('"bank"', '"bans"');
    expect(tampered).not.toBe(signed.json);
    expect(() => verifyManifest(tampered, signed.signature, ca.certificatePem)).toThrow(ConfigError);
    expect(() => verifyManifest(tampered, signed.signature, ca.certificatePem)).toThrow(/manifest signature \(manifest\.sig\) does not verify/);
    expect(() => verifyManifest(signed.json, 'not base64!', ca.certificatePem)).toThrow(/manifest\.sig\) is not base64/);
  });

  it('refuses a manifest signed by another CA, and refuses to sign with a non-P-256 key or a malformed manifest', async () => {
    const ca = await createFederationCa({ federationId: 'banks', ...window });
    const other = await createFederationCa({ federationId: 'banks', ...window });
    const signed = signManifest(manifest, createPrivateKey(other.keyPem));
    expect(() => verifyManifest(signed.json, signed.signature, ca.certificatePem, 'kits/bank/manifest.json')).toThrow(/^kits\/bank\/manifest\.json: the manifest signature/);
    expect(() => signManifest(manifest, generateKeyPairSync('ed25519').privateKey)).toThrow(/not an ECDSA P-256 key/);
    expect(() => signManifest({ ...manifest, nodes: [] }, createPrivateKey(ca.keyPem))).toThrow(/nodes/);
  });
});
