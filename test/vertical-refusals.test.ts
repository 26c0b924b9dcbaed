import { randomBytes, type KeyObject } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerticalFederationClient } from '../proto/generated/hefl/v1/VerticalFederation.js';
import type { VerticalChunk__Output } from '../proto/generated/hefl/v1/VerticalChunk.js';
import { loadVerticalService } from '../proto/load-vertical-service.js';
import { HeflError } from '../protocols/errors.js';
import { generateIdentity, loadIdentityPrivateKey, loadIdentityPublicKey } from '../protocols/identity/participant-identity.js';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { verticalAddress, type VerticalAddress } from '../protocols/vertical/vertical-address.js';
import { verticalJobSpecSchema } from '../protocols/vertical/vertical-job-spec.js';
import { signVerticalMessage } from '../protocols/vertical/vertical-signing.js';
import { toVerticalChunks, toWireFetchRequest, type VerticalMessage } from '../protocols/vertical/vertical-wire.js';
import { PROTOCOL_VERSION } from '../protocols/wire/federation-messages.js';
import type { RunningCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { startGrpcVerticalServer } from '../coordinator/vertical/grpc-vertical-server.js';
import { VerticalCoordinator } from '../coordinator/vertical/vertical-coordinator.js';
import { createVerticalSum, type VerticalSum } from '../coordinator/vertical/vertical-sum.js';
import { createVerticalEgressGuard } from '../participant/vertical/create-vertical-egress-guard.js';
import { GrpcVerticalConnection } from '../participant/vertical/grpc-vertical-connection.js';
import { scaledMs } from './support/time-scale.js';

// The coordinator's rules over real gRPC on loopback (plain transport: the caller is the id it claims;
// under mutual TLS the certificate names it, which is out of scope here).
const job = verticalJobSpecSchema.parse({
  kind: 'vertical-logistic-regression',
  jobId: 'job-refusals',
  parties: ['bank', 'telco', 'insurer'].map((id) => ({ id, idColumn: 'id', features: { numeric: [`${id}-x`] }, ...(id === 'bank' ? { label: { column: 'y', positive: '1', negative: '0' } } : {}) })),
  custody: { mode: 'none' },
});
const pairs = new Map(['bank', 'telco', 'insurer'].map((party) => [party, generateIdentity()]));
const privateKey = (party: string): KeyObject => loadIdentityPrivateKey(pairs.get(party)?.privateKeyPem as string);
const publicKeys = new Map([...pairs].map(([party, pair]) => [party, loadIdentityPublicKey(pair.publicKeyPem)]));
const signed = (signer: string, address: VerticalAddress, payload: Uint8Array): VerticalMessage => ({ address, payload, signature: signVerticalMessage(privateKey(signer), job.jobId, address, payload) });

function rawClient(address: string): VerticalFederationClient {
  const Client = grpc.makeClientConstructor(loadVerticalService() as unknown as grpc.ServiceDefinition, 'hefl.v1.VerticalFederation') as unknown as new (address: string, credentials: grpc.ChannelCredentials) => VerticalFederationClient;
  return new Client(address, grpc.credentials.createInsecure());
}

/** The status a server-streaming fetch ends with (or the chunks, if it was answered). */
function fetchOutcome(client: VerticalFederationClient, participantId: string, address: VerticalAddress): Promise<grpc.ServiceError | VerticalChunk__Output[]> {
  return new Promise((resolve) => {
    const chunks: VerticalChunk__Output[] = [];
    const call = client.fetchVertical(toWireFetchRequest(job.jobId, participantId, address));
    call.on('data', (chunk: VerticalChunk__Output) => chunks.push(chunk));
    call.on('error', (error: grpc.ServiceError) => resolve(error));
    call.on('end', () => resolve(chunks));
  });
}

describe('vertical refusals over real gRPC', () => {
  let sum: VerticalSum;
  let coordinator: VerticalCoordinator;
  let server: RunningCoordinatorServer;
  let client: VerticalFederationClient;
  const connections: GrpcVerticalConnection[] = [];
  const sealedToInsurer = verticalAddress('coefficient-shares', { epoch: 0, batch: 0, owner: 'insurer', sender: 'telco', recipient: 'insurer' });
  const box = new Uint8Array(randomBytes(16 + 49));

  beforeAll(async () => {
    sum = await createVerticalSum('none', job.ckks);
    coordinator = new VerticalCoordinator({ job, identities: publicKeys, keyFingerprint: 'f'.repeat(64), sum, intersect: () => new Map() });
    for (const party of pairs.keys()) coordinator.join({ jobId: job.jobId, participantId: party, protocolVersion: PROTOCOL_VERSION, keyFingerprint: 'f'.repeat(64) }, { send: () => undefined, close: () => undefined });
    server = await startGrpcVerticalServer(coordinator);
    client = rawClient(server.address);
    const telco = await GrpcVerticalConnection.connect({ address: server.address, jobId: job.jobId, participantId: 'telco', connectTimeoutMs: scaledMs(5_000) });
    connections.push(telco);
    await telco.post(signed('telco', sealedToInsurer, box));
  });

  afterAll(async () => {
    coordinator.fail('test over');
    client.close();
    for (const connection of connections) connection.close();
    await server.shutdown();
    sum[Symbol.dispose]();
  });

  it('answers PERMISSION_DENIED to a party fetching shares sealed to another, and serves the recipient', async () => {
    const denied = await fetchOutcome(client, 'bank', sealedToInsurer);
    expect(denied).toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: 'the message is sealed to "insurer"' });
    // The party's own connection reports it as the coordinator's refusal.
    const bank = await GrpcVerticalConnection.connect({ address: server.address, jobId: job.jobId, participantId: 'bank', connectTimeoutMs: scaledMs(5_000) });
    connections.push(bank);
    await expect(bank.fetch(sealedToInsurer)).rejects.toThrow(/refused: the message is sealed to "insurer"/);
    const served = await fetchOutcome(client, 'insurer', sealedToInsurer);
    expect(Array.isArray(served)).toBe(true);
    expect(Buffer.from((served as VerticalChunk__Output[])[0]?.payload as Uint8Array).equals(Buffer.from(box))).toBe(true);
  });

  it('answers PERMISSION_DENIED to a fetch of a fully blinded PSI list', async () => {
    const denied = await fetchOutcome(client, 'telco', verticalAddress('psi-blinded', { owner: 'bank', hop: 2, sender: 'telco' }));
    expect(denied).toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: 'fully blinded PSI lists go to the coordinator only' });
  });

  it('answers FAILED_PRECONDITION to a post in another party\'s name (signed by the poster, not the named sender)', async () => {
    const address = verticalAddress('done', { sender: 'insurer' });
    const forged = signed('bank', address, new Uint8Array(0));
    const error = await new Promise<grpc.ServiceError | null>((resolve) => {
      const call = client.postVertical((failure) => resolve(failure));
      for (const chunk of toVerticalChunks(job.jobId, forged)) call.write(chunk);
      call.end();
    });
    expect(error).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: 'the signature of "insurer" over done/0/0//0/insurer/ does not verify' });
  });

  it('sends nothing the egress guard refuses: the coordinator never sees it, and the genuine message still fits the address', async () => {
    const judged = await createVerticalEgressGuard(new LedgerWriter(undefined, 'bank', privateKey('bank')), job.ckks, { allowPlaintext: false });
    try {
      const guarded = await GrpcVerticalConnection.connect({ address: server.address, jobId: job.jobId, participantId: 'bank', connectTimeoutMs: scaledMs(5_000), onEgress: (record) => judged.guard.check(record) });
      connections.push(guarded);
      const at = verticalAddress('forward-part', { epoch: 0, batch: 0, sender: 'bank' });
      // Plain values, custody threshold on this node: approve refuses, and a post nobody approved is stopped at the socket.
      const plain = signed('bank', at, new Uint8Array(12));
      expect(() => judged.guard.approve(plain)).toThrow(HeflError);
      await expect(guarded.post(plain)).rejects.toThrow(/egress guard refused a PostVertical message: .* was never approved/);
      // Had any byte of it reached the coordinator, a different message at the same address would be refused now.
      const other = signed('bank', at, new Uint8Array(16));
      const bankUnguarded = await GrpcVerticalConnection.connect({ address: server.address, jobId: job.jobId, participantId: 'bank', connectTimeoutMs: scaledMs(5_000) });
      connections.push(bankUnguarded);
      await expect(bankUnguarded.post(other)).resolves.toBeUndefined();
      const relayed = await fetchOutcome(client, 'telco', at);
      expect((relayed as VerticalChunk__Output[])[0]?.payload).toHaveLength(16);
    } finally {
      judged[Symbol.dispose]();
    }
  });
});
