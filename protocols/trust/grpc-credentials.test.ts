import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { channelCredentialsFor, peerIdentityFromCall, serverCredentialsFor } from './grpc-credentials.js';
import { loadStartupKit, type StartupKit } from './load-startup-kit.js';
import { provisionFederation, type ProvisionedFederation } from '../../provisioning/provision-federation.js';
import { reloadManifest } from '../../provisioning/reload-manifest.js';
import { revokeCertificate } from '../../provisioning/revoke-certificate.js';

const DAY = 86_400_000;
const TEST_TIMEOUT_MS = 20_000;
const WHO_AM_I = '/hefl.trust.test.Identity/WhoAmI';
const identity = (bytes: Buffer): Buffer => bytes;
// A one-method service with raw bytes: enough to see who the server thinks is calling.
const identityService: grpc.ServiceDefinition = {
  whoAmI: { path: WHO_AM_I, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
};

let directory: string;
const input = { federationId: 'banks', coordinator: { address: '127.0.0.1:7700' }, participants: ['bank', 'shop', 'late'] };
let federation: ProvisionedFederation;
let foreign: ProvisionedFederation;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-mtls-'));
  federation = await provisionFederation(input, join(directory, 'a'), {
    nodeValidity: { late: { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) } },
  });
  foreign = await provisionFederation(input, join(directory, 'b'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** A coordinator-like server: mutual TLS from the kit, caller identity from the verified certificate only. */
async function startIdentityServer(kit: StartupKit, options: { now?: () => Date } = {}) {
  let manifest = kit.manifest;
  let handled = 0;
  const server = new grpc.Server();
  server.addService(identityService, {
    whoAmI(call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) {
      handled += 1;
      const peer = peerIdentityFromCall(call, manifest, options.now?.());
      if ('refused' in peer) return callback({ code: grpc.status.PERMISSION_DENIED, details: peer.refused });
      callback(null, Buffer.from(JSON.stringify(peer)));
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', serverCredentialsFor(kit), (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  cleanups.push(() => new Promise<void>((resolve) => server.tryShutdown(() => resolve())));
  return {
    address: `127.0.0.1:${port}`,
    port,
    handled: () => handled,
    reload: async () => {
      manifest = await reloadManifest(kit, manifest);
    },
  };
}

function clientFor(address: string, credentials: grpc.ChannelCredentials): grpc.Client {
  const client = new grpc.Client(address, credentials);
  cleanups.push(() => client.close());
  return client;
}

function whoAmI(client: grpc.Client): Promise<{ nodeId: string; role: string }> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(WHO_AM_I, identity, identity, Buffer.alloc(0), { deadline: Date.now() + 5_000 }, (error, response) => {
      if (error) return reject(error);
      resolve(JSON.parse((response as Buffer).toString('utf8')) as { nodeId: string; role: string });
    });
  });
}

const kitOf = (id: string, options?: { now?: Date }) => loadStartupKit(federation.kits[id] as string, options);

describe('mutual TLS from startup kits', () => {
  it('lets a node of the federation in, and the server learns its id and role from the certificate', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startIdentityServer(await kitOf('coordinator'));
    expect(await whoAmI(clientFor(server.address, channelCredentialsFor(await kitOf('bank'))))).toEqual({ nodeId: 'bank', role: 'participant' });
    expect(await whoAmI(clientFor(server.address, channelCredentialsFor(await kitOf('auditor'))))).toEqual({ nodeId: 'auditor', role: 'auditor' });
    // The coordinator certificate also names localhost, so hostname verification passes there too.
    expect(await whoAmI(clientFor(`localhost:${server.port}`, channelCredentialsFor(await kitOf('shop'))))).toEqual({ nodeId: 'shop', role: 'participant' });
  });

  it('refuses at the TLS handshake a client whose certificate comes from another CA, or that has none', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startIdentityServer(await kitOf('coordinator'));
    const stranger = await loadStartupKit(foreign.kits.bank as string);
    const coordinatorCa = Buffer.from((await kitOf('coordinator')).caPem);
    // It trusts our CA (public anyway), so it is the server that turns its certificate down.
    const strangerTrustingUs = grpc.credentials.createSsl(coordinatorCa, Buffer.from(stranger.keyPem), Buffer.from(stranger.certificatePem));
    await expect(whoAmI(clientFor(server.address, strangerTrustingUs))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    // With its own kit it also refuses our coordinator, whose certificate its CA did not issue.
    await expect(whoAmI(clientFor(server.address, channelCredentialsFor(stranger)))).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
      details: expect.stringMatching(/self-signed certificate in certificate chain/),
    });
    await expect(whoAmI(clientFor(server.address, grpc.credentials.createSsl(coordinatorCa)))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    await expect(whoAmI(clientFor(server.address, grpc.credentials.createInsecure()))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(server.handled()).toBe(0); // no handler ever ran for them
  });

  it('refuses a node once it is revoked and the server reloads the manifest, even on its open connection', { timeout: TEST_TIMEOUT_MS }, async () => {
    const out = join(directory, 'revocation');
    const { kits, caDirectory } = await provisionFederation(input, out);
    const server = await startIdentityServer(await loadStartupKit(kits.coordinator as string));
    const shopKit = await loadStartupKit(kits.shop as string);
    const shop = clientFor(server.address, channelCredentialsFor(shopKit));
    expect(await whoAmI(shop)).toEqual({ nodeId: 'shop', role: 'participant' });

    await revokeCertificate(caDirectory, out, 'shop', 'key compromise');
    await server.reload();
    // TLS knows nothing of the revocation (the chain is still valid); the per-call check does.
    await expect(whoAmI(shop)).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: expect.stringMatching(/participant "shop" is revoked .*key compromise/) });
    await expect(whoAmI(clientFor(server.address, channelCredentialsFor(shopKit)))).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    expect(await whoAmI(clientFor(server.address, channelCredentialsFor(await loadStartupKit(kits.bank as string))))).toEqual({ nodeId: 'bank', role: 'participant' });
  });

  it('refuses an expired certificate: at the handshake, and per call once a certificate expires mid-connection', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startIdentityServer(await kitOf('coordinator'));
    // Loaded "three days ago", when it was still valid; presented today.
    const late = await kitOf('late', { now: new Date(Date.now() - 3 * DAY) });
    await expect(whoAmI(clientFor(server.address, channelCredentialsFor(late)))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(server.handled()).toBe(0);

    // A server whose clock reads a year and a bit ahead: the connection is up, the certificate is not valid any more.
    const later = await startIdentityServer(await kitOf('coordinator'), { now: () => new Date(Date.now() + 400 * DAY) });
    await expect(whoAmI(clientFor(later.address, channelCredentialsFor(await kitOf('bank'))))).rejects.toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details: expect.stringMatching(/participant "bank" expired on/),
    });
  });

  it('lets a participant refuse a coordinator the manifest revokes, and only the coordinator kit can serve', { timeout: TEST_TIMEOUT_MS }, async () => {
    const out = join(directory, 'coordinator-revoked');
    const { kits, caDirectory } = await provisionFederation(input, out);
    const server = await startIdentityServer(await loadStartupKit(kits.coordinator as string));
    await revokeCertificate(caDirectory, out, 'coordinator', 'host compromised');
    const bank = await loadStartupKit(kits.bank as string);
    await expect(whoAmI(clientFor(server.address, channelCredentialsFor(bank)))).rejects.toMatchObject({
      code: grpc.status.UNAVAILABLE,
      details: expect.stringMatching(/not the federation coordinator: the certificate of coordinator "coordinator" is revoked/),
    });
    expect(server.handled()).toBe(0);
    expect(() => serverCredentialsFor(bank)).toThrow(/the kit of participant "bank" cannot serve/);
  });
});
