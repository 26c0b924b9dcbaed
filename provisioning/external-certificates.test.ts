import * as grpc from '@grpc/grpc-js';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { channelCredentialsFor, serverCredentialsFor } from '../protocols/trust/startup-kit.js';
import { peerIdentityFromCall } from '../protocols/trust/peer-identity.js';
import { loadStartupKit, type StartupKit } from '../protocols/trust/load-startup-kit.js';
import { createCertificateRequest, readCertificateRequest } from './certificate-request.js';
import { createFederationCa } from './create-federation-ca.js';
import { installRequestedKit } from './install-requested-kit.js';
import { issueNodeCertificate } from './issue-node-certificate.js';
import { provisionFederation } from './provision-federation.js';
import { writePrivateFile } from './write-private-file.js';

const directories: string[] = [];
async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'hefl-external-ca-'));
  directories.push(directory);
  return directory;
}
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

const federation = { federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank', 'shop'], ckksParametersFingerprint: 'f'.repeat(64) };
const DAY = 86_400_000;
const window = { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 30 * DAY) };

/** The bank's own corporate CA, and a certificate it issues for the key the bank made with `hefl provision request`. */
async function bankIssued(federationId = 'banks', nodeId = 'bank') {
  const bankCa = await createFederationCa({ federationId: 'bank-corporate', ...window });
  const request = await createCertificateRequest({ federationId, node: { id: nodeId, role: 'participant' } });
  const publicKey = await readCertificateRequest(request.csrPem, nodeId, 'bank.csr');
  const issued = await issueNodeCertificate({ ca: bankCa, federationId, node: { id: nodeId, role: 'participant' }, publicKey, ...window });
  return { bankCa, request, certificatePem: issued.certificatePem };
}

/** One mutual-TLS gRPC call from `client` to a server with `server`'s kit: the id the server's peer check gives, or the failure. */
async function callAs(server: StartupKit, client: StartupKit): Promise<string> {
  const definition: grpc.ServiceDefinition = {
    whoAmI: { path: '/hefl.test.Probe/WhoAmI', requestStream: false, responseStream: false, requestSerialize: (value: Buffer) => value, requestDeserialize: (bytes: Buffer) => bytes, responseSerialize: (value: Buffer) => value, responseDeserialize: (bytes: Buffer) => bytes },
  };
  const grpcServer = new grpc.Server();
  grpcServer.addService(definition, {
    whoAmI: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      const identity = peerIdentityFromCall(call, server.manifest);
      callback(null, Buffer.from('nodeId' in identity ? identity.nodeId : `refused: ${identity.refused}`));
    },
  });
  const port = await new Promise<number>((resolve, reject) => grpcServer.bindAsync('127.0.0.1:0', serverCredentialsFor(server), (error, bound) => (error ? reject(error) : resolve(bound))));
  const Client = grpc.makeGenericClientConstructor(definition, 'Probe');
  const client_ = new Client(`localhost:${port}`, channelCredentialsFor(client));
  try {
    return await new Promise<string>((resolve) => {
      (client_ as unknown as { whoAmI: (request: Buffer, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response?: Buffer) => void) => void }).whoAmI(
        Buffer.alloc(0),
        { deadline: Date.now() + 20_000 },
        (error, response) => resolve(error ? `failed: ${error.details}` : (response as Buffer).toString()),
      );
    });
  } finally {
    client_.close();
    grpcServer.forceShutdown();
  }
}

describe('an institution\'s own CA, named as an external root in the manifest', () => {
  it('pins a certificate the bank\'s CA issued for the bank\'s own key; the kit loads and the coordinator accepts it over mutual TLS', async () => {
    const { bankCa, request, certificatePem } = await bankIssued();
    const operator = await temporaryDirectory();
    const { kits, manifest } = await provisionFederation(federation, join(operator, 'kits'), {
      externalRoots: [{ pem: bankCa.certificatePem, source: 'roots/bank-root.pem' }],
      externalCertificates: { bank: { pem: certificatePem, source: 'certs/bank.crt' } },
    });
    expect(manifest.externalRoots).toEqual([bankCa.certificatePem.trim()]);
    expect(await readdir(kits.bank as string)).not.toContain('node.key');

    const bankHost = await temporaryDirectory();
    await writePrivateFile(join(bankHost, 'node.key'), request.keyPem);
    const bank = await installRequestedKit(kits.bank as string, bankHost);
    const coordinator = await loadStartupKit(kits.coordinator as string);
    // A centrally provisioned node still works beside it.
    expect(await callAs(coordinator, await loadStartupKit(kits.shop as string))).toBe('shop');
    expect(await callAs(coordinator, bank)).toBe('bank');
  }, 60_000);

  it('refuses, naming the file: a certificate from an unnamed CA, one for another node or federation, a root that is no CA', async () => {
    const { bankCa, certificatePem } = await bankIssued();
    const stranger = await bankIssued();
    const cases: [Parameters<typeof provisionFederation>[2], RegExp][] = [
      [{ externalRoots: [{ pem: stranger.bankCa.certificatePem, source: 'roots/other.pem' }], externalCertificates: { bank: { pem: certificatePem, source: 'certs/bank.crt' } } }, /certs\/bank\.crt is not issued by any of the external roots given/],
      [{ externalRoots: [{ pem: bankCa.certificatePem, source: 'roots/bank.pem' }], externalCertificates: { shop: { pem: certificatePem, source: 'certs/shop.crt' } } }, /certs\/shop\.crt must carry the SAN URI hefl:\/\/banks\/participant\/shop .* it carries hefl:\/\/banks\/participant\/bank/],
      [{ externalRoots: [{ pem: certificatePem, source: 'roots/leaf.pem' }], externalCertificates: {} }, /roots\/leaf\.pem is not a CA certificate/],
      [{ externalRoots: [{ pem: bankCa.certificatePem, source: 'roots/bank.pem' }], externalCertificates: { mallory: { pem: certificatePem, source: 'certs/mallory.crt' } } }, /certs\/mallory\.crt is a certificate for "mallory", which is not a node of this federation/],
    ];
    for (const [options, error] of cases) {
      const operator = await temporaryDirectory();
      await expect(provisionFederation(federation, join(operator, 'kits'), options)).rejects.toThrow(error);
      expect(await readdir(operator)).toEqual([]);
    }
    const otherFederation = await bankIssued('otherfed');
    const operator = await temporaryDirectory();
    await expect(
      provisionFederation(federation, join(operator, 'kits'), {
        externalRoots: [{ pem: otherFederation.bankCa.certificatePem, source: 'roots/x.pem' }],
        externalCertificates: { bank: { pem: otherFederation.certificatePem, source: 'certs/bank.crt' } },
      }),
    ).rejects.toThrow(/it carries hefl:\/\/otherfed\/participant\/bank/);
  }, 60_000);
});
