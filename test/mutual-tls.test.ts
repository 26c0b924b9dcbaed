import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../coordinator/coordinator.js';
import { startGrpcCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { Participant } from '../participant/participant.js';
import { initFederationKeys, type InitializedKeyFolders } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { federationInputSchema } from '../protocols/trust/federation-manifest.js';
import { provisionFederation, revokeNode } from '../protocols/trust/provision-federation.js';
import { channelCredentialsFor, loadStartupKit, participantFromPeerCertificate, serverCredentialsFor } from '../protocols/trust/startup-kit.js';
import { bankJob, writeBankSlices, type BankSlices } from './support/bank-slices.js';

const IDS = ['bank', 'ecommerce', 'government'] as const;
const job = bankJob({ jobId: 'mtls', training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 2 } });
let directory: string;
let slices: BankSlices;
let keys: InitializedKeyFolders;
let kits: Record<string, string>;
let caDirectory: string;
let foreignKits: Record<string, string>;

beforeAll(async () => {
  if (!bankMarketingDataAvailable) return;
  directory = await mkdtemp(join(tmpdir(), 'hefl-mtls-'));
  slices = await writeBankSlices(join(directory, 'data'), 200, 50);
  keys = await initFederationKeys(job, join(directory, 'keys'));
  const input = federationInputSchema.parse({ federationId: 'banks', coordinator: { address: '127.0.0.1:0' }, participants: [...IDS] });
  ({ kits, caDirectory } = await provisionFederation(input, join(directory, 'kits')));
  ({ kits: foreignKits } = await provisionFederation(input, join(directory, 'other-ca-kits')));
}, 60_000);

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** A coordinator behind mutual TLS that takes participant ids from verified certificates. */
async function startMtlsCoordinator() {
  const kit = await loadStartupKit(kits.coordinator as string);
  const coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(keys.coordinator) });
  const server = await startGrpcCoordinatorServer(coordinator, {
    credentials: serverCredentialsFor(kit),
    authenticatePeer: (auth) => participantFromPeerCertificate(kit.manifest, auth.sslPeerCertificate),
  });
  return { coordinator, server };
}

async function runParticipant(id: string, address: string, kitFolder: string, claimedId = id) {
  const kit = await loadStartupKit(kitFolder);
  const connection = await GrpcFederationConnection.connect({ address, credentials: channelCredentialsFor(kit), connectTimeoutMs: 5_000 });
  return new Participant({
    participantId: claimedId,
    jobId: job.jobId,
    dataCsv: slices.files[id as (typeof IDS)[number]],
    keys: await readParticipantKeys(keys.participants[claimedId] as string),
    connection,
  }).run();
}

describe.skipIf(!bankMarketingDataAvailable)('provisioning and mutual TLS', () => {
  it('kits carry a certificate, its 0600 key, the CA and the signed manifest; the CA key is in no kit', async () => {
    const kit = await loadStartupKit(kits.bank as string);
    expect(kit).toMatchObject({ nodeId: 'bank', role: 'participant' });
    expect(kit.manifest.nodes.map((node) => node.id).sort()).toEqual(['auditor', 'bank', 'coordinator', 'ecommerce', 'government']);
    expect((await loadStartupKit(kits.auditor as string)).role).toBe('auditor');
    const { readdir } = await import('node:fs/promises');
    for (const folder of Object.values(kits)) expect(await readdir(folder)).not.toContain('ca.key');
  });

  it('runs a whole federation over mutual TLS, and refuses a node from another CA and a spoofed participant id', async () => {
    const { coordinator, server } = await startMtlsCoordinator();
    try {
      const running = coordinator.run();
      // A certificate from another federation's CA fails the TLS handshake.
      await expect(runParticipant('bank', server.address, foreignKits.bank as string)).rejects.toThrow(/could not reach|unreachable|refused/i);
      // bank's valid certificate cannot speak for ecommerce: the id comes from the certificate.
      await expect(runParticipant('bank', server.address, kits.bank as string, 'ecommerce')).rejects.toThrow(/certificate is "bank"/);
      const outcomes = await Promise.all(IDS.map((id) => runParticipant(id, server.address, kits[id] as string)));
      expect(outcomes.every((outcome) => outcome.roundsCompleted === 1)).toBe(true);
      expect((await running).status).toBe('finished');
    } finally {
      await server.shutdown();
    }
  }, 90_000);

  it('refuses a revoked node, which stays refused', async () => {
    await revokeNode(caDirectory, Object.values(kits), 'government', 'key compromise');
    const manifest = (await loadStartupKit(kits.coordinator as string)).manifest;
    expect(manifest.revoked.map((entry) => entry.reason)).toEqual(['key compromise']);
    const { coordinator, server } = await startMtlsCoordinator();
    try {
      void coordinator.run();
      await expect(runParticipant('government', server.address, kits.government as string)).rejects.toThrow(/government.*revoked/);
    } finally {
      coordinator.stop('test finished');
      await server.shutdown();
    }
  }, 60_000);
});
