import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../cli/exit-codes.js';
import { loadStartupKit } from '../protocols/trust/load-startup-kit.js';
import { readCertificateRequest } from '../provisioning/certificate-request.js';
import { createFederationCa } from '../provisioning/create-federation-ca.js';
import { issueNodeCertificate } from '../provisioning/issue-node-certificate.js';
import { hasStackTrace } from './support/run-hefl.js';
import { runHeflInProcess as runHefl } from './support/run-hefl-in-process.js';
import { scaledMs } from './support/time-scale.js';

// Issue #18: partners' security teams generate their keys locally and send a certificate request.
// The whole exchange through the command line, as three parties would run it on three hosts.

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-csr-cli-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('hefl provision request / --requests / install', () => {
  it('a bank makes its key and request, the operator signs it, the bank installs the kit; the operator never sees the key', async () => {
    const bankHost = join(directory, 'bank-host');
    const request = await runHefl(['provision', 'request', '--federation-id', 'banks', '--node', 'bank', '--out', bankHost]);
    expect(request.code, request.stderr).toBe(EXIT.ok);
    expect((await readdir(bankHost)).sort()).toEqual(['bank.csr', 'node.key']);

    // The operator receives only the request.
    const operator = join(directory, 'operator');
    const requests = join(operator, 'requests');
    await runHefl(['provision', 'request', '--federation-id', 'banks', '--node', 'bank', '--out', bankHost]).then((again) => {
      expect(again.code).toBe(EXIT.config);
      expect(again.stderr).toMatch(/node\.key already exists; a request never replaces a node's key/);
    });
    await writeFile(join(directory, 'federation.json'), JSON.stringify({ federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank', 'shop'], ckksParametersFingerprint: 'a'.repeat(64) }));
    await mkdir(requests, { recursive: true });
    await copyFile(join(bankHost, 'bank.csr'), join(requests, 'bank.csr'));
    const provisioned = await runHefl(['provision', '--federation', join(directory, 'federation.json'), '--requests', requests, '--out', join(operator, 'kits')]);
    expect(provisioned.code, provisioned.stderr).toBe(EXIT.ok);
    expect(await readdir(join(operator, 'kits', 'bank'))).not.toContain('node.key');

    const installed = await runHefl(['provision', 'install', '--from', join(operator, 'kits', 'bank'), '--kit', bankHost]);
    expect(installed.code, installed.stderr).toBe(EXIT.ok);
    expect(installed.stdout).toContain('installed: participant "bank" of federation "banks"');
    expect(await loadStartupKit(bankHost)).toMatchObject({ nodeId: 'bank', role: 'participant' });
  }, scaledMs(60_000));

  it('a request for a node the federation does not have, or a damaged one, is refused with the file named', async () => {
    const host = join(directory, 'stranger-host');
    expect((await runHefl(['provision', 'request', '--federation-id', 'banks', '--node', 'stranger', '--out', host])).code).toBe(EXIT.ok);
    const requests = join(directory, 'bad-requests');
    await mkdir(requests, { recursive: true });
    await copyFile(join(host, 'stranger.csr'), join(requests, 'stranger.csr'));
    const unknown = await runHefl(['provision', '--federation', join(directory, 'federation.json'), '--requests', requests, '--out', join(directory, 'kits-unknown')]);
    expect(unknown.code).toBe(EXIT.config);
    expect(unknown.stderr).toContain(`${join(requests, 'stranger.csr')} is a request for "stranger", which is not a node of this federation`);
    await rm(join(requests, 'stranger.csr'));
    await writeFile(join(requests, 'shop.csr'), 'garbage');
    const damaged = await runHefl(['provision', '--federation', join(directory, 'federation.json'), '--requests', requests, '--out', join(directory, 'kits-damaged')]);
    expect(damaged.code).toBe(EXIT.config);
    expect(damaged.stderr).toContain(`${join(requests, 'shop.csr')} is not a PEM certificate signing request`);
    expect(hasStackTrace(damaged.stderr)).toBe(false);
  }, scaledMs(60_000));

  it('an institution with its own CA: the operator names its root and pins the certificate it issued; install and load work', async () => {
    const host = join(directory, 'shop-host');
    expect((await runHefl(['provision', 'request', '--federation-id', 'banks', '--node', 'shop', '--out', host])).code).toBe(EXIT.ok);
    // The shop's corporate CA signs the request (here in code; in practice the shop's PKI).
    const window = { notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 30 * 86_400_000) };
    const shopCa = await createFederationCa({ federationId: 'shop-corporate', ...window });
    const publicKey = await readCertificateRequest(await readFile(join(host, 'shop.csr'), 'utf8'), 'shop', 'shop.csr');
    const issued = await issueNodeCertificate({ ca: shopCa, federationId: 'banks', node: { id: 'shop', role: 'participant' }, publicKey, ...window });
    const certificates = join(directory, 'external-certs');
    await mkdir(certificates, { recursive: true });
    await writeFile(join(certificates, 'shop.crt'), issued.certificatePem);
    await writeFile(join(directory, 'shop-root.pem'), shopCa.certificatePem);

    const kits = join(directory, 'kits-external');
    const lonely = await runHefl(['provision', '--federation', join(directory, 'federation.json'), '--external-certs', certificates, '--out', kits]);
    expect(lonely.code).toBe(EXIT.usage);
    expect(lonely.stderr).toContain('--external-root and --external-certs go together');
    const provisioned = await runHefl(['provision', '--federation', join(directory, 'federation.json'), '--external-root', join(directory, 'shop-root.pem'), '--external-certs', certificates, '--out', kits]);
    expect(provisioned.code, provisioned.stderr).toBe(EXIT.ok);
    const installed = await runHefl(['provision', 'install', '--from', join(kits, 'shop'), '--kit', host]);
    expect(installed.code, installed.stderr).toBe(EXIT.ok);
    const kit = await loadStartupKit(host);
    expect(kit).toMatchObject({ nodeId: 'shop', role: 'participant' });
    expect(kit.manifest.externalRoots).toEqual([shopCa.certificatePem.trim()]);
  }, scaledMs(60_000));
});
