import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CkksSession } from '../ckks/ckks-session.js';
import { KeyCustodyError } from '../errors.js';
import { jobSpecSchema } from '../job/job-spec.js';
import { initFederationKeys } from './init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from './read-key-folder.js';

const job = jobSpecSchema.parse({
  jobId: 'key-test',
  model: { kind: 'logistic-regression' },
  features: { numeric: ['x'], label: { column: 'y', positive: '1', negative: '0' } },
  training: { rounds: 1 },
  federation: { participants: ['bank', 'shop'], minParticipants: 2 },
  custody: { mode: 'single-key' },
});
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('federation key folders', () => {
  it('gives the coordinator public material only, and participants a working secret key', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hefl-keys-'));
    directories.push(out);
    const folders = await initFederationKeys(job, out);
    expect((await readdir(folders.coordinator)).sort()).toEqual(['keys.json', 'ledger.key', 'public.key']);
    expect((await readdir(folders.participants.bank as string)).sort()).toEqual(['identity.key', 'keys.json', 'public.key', 'secret.key']);
    const coordinator = await readCoordinatorKeys(folders.coordinator);
    const bank = await readParticipantKeys(folders.participants.bank as string);
    expect(bank.manifest.keyFingerprint).toBe(coordinator.manifest.keyFingerprint);

    const encrypting = await CkksSession.create(job.ckks, { publicKey: coordinator.publicKey as Uint8Array });
    const decrypting = await CkksSession.create(job.ckks, { secretKey: bank.secretKey as Uint8Array });
    const decrypted = decrypting.decryptVector(encrypting.encryptVector([1.5, -2.25]), 2);
    expect(Math.abs((decrypted[0] as number) - 1.5)).toBeLessThan(1e-6);
    encrypting.dispose();
    decrypting.dispose();
  });

  it('refuses a coordinator folder that holds a secret key', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hefl-keys-'));
    directories.push(out);
    const folders = await initFederationKeys(job, out);
    await copyFile(join(folders.participants.bank as string, 'secret.key'), join(folders.coordinator, 'secret.key'));
    await expect(readCoordinatorKeys(folders.coordinator)).rejects.toThrow(KeyCustodyError);
    await expect(readCoordinatorKeys(folders.participants.bank as string)).rejects.toThrow(/secret key material/);
    await expect(readParticipantKeys(folders.coordinator)).rejects.toThrow(/coordinator's key folder/);
  });
});

describe('threshold key folders', () => {
  const thresholdJob = jobSpecSchema.parse({ ...job, ckks: undefined, custody: { mode: 'threshold' } });

  it('hold no CKKS key at all: the coordinator gets the identity roster, each participant its own identity key', async () => {
    const out = await mkdtemp(join(tmpdir(), 'hefl-keys-'));
    directories.push(out);
    const folders = await initFederationKeys(thresholdJob, out);
    expect((await readdir(folders.coordinator)).sort()).toEqual(['keys.json', 'ledger.key']);
    expect((await readdir(folders.participants.bank as string)).sort()).toEqual(['identity.key', 'keys.json']);
    const coordinator = await readCoordinatorKeys(folders.coordinator);
    expect(coordinator.publicKey).toBeUndefined();
    expect(Object.keys(coordinator.manifest.identities ?? {}).sort()).toEqual(['bank', 'coordinator', 'shop']);
    const bank = await readParticipantKeys(folders.participants.bank as string);
    expect(bank.identityKey?.asymmetricKeyType).toBe('ed25519');
    expect(bank.secretKey).toBeUndefined();
  });
});
