import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../coordinator/coordinator.js';
import { startGrpcCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { Participant } from '../participant/participant.js';
import { ConfigError } from '../protocols/errors.js';
import { initFederationKeys, type InitializedKeyFolders } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { jobSha256 } from '../protocols/job/job-sha256.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { federationInputSchema } from '../protocols/trust/federation-manifest.js';
import { provisionFederation, revokeNode } from '../provisioning/provision-federation.js';
import { channelCredentialsFor, loadStartupKit, participantFromPeerCertificate, serverCredentialsFor } from '../protocols/trust/startup-kit.js';
import { bankJob, writeBankSlices, type BankSlices } from './support/bank-slices.js';
import { runHefl } from './support/run-hefl.js';
import { scaledMs } from './support/time-scale.js';

const IDS = ['bank', 'ecommerce', 'government'] as const;
const job = bankJob({ jobId: 'mtls', training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 2 } });
// Another job under the same id and CKKS parameters: only the pinned job hash tells them apart.
const otherJob = bankJob({ jobId: 'mtls', training: { rounds: 1, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 3 } });
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
  // As `hefl provision --job` does: the manifest pins the job's SHA-256.
  const input = federationInputSchema.parse({ federationId: 'banks', coordinator: { address: '127.0.0.1:0' }, participants: [...IDS], jobSha256: jobSha256(job) });
  ({ kits, caDirectory } = await provisionFederation(input, join(directory, 'kits')));
  ({ kits: foreignKits } = await provisionFederation(input, join(directory, 'other-ca-kits')));
}, scaledMs(60_000));

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** A coordinator behind mutual TLS that takes participant ids from verified certificates. */
async function startMtlsCoordinator(coordinatorJob: JobSpec = job) {
  const kit = await loadStartupKit(kits.coordinator as string);
  const coordinator = await Coordinator.create({ job: coordinatorJob, keys: await readCoordinatorKeys(keys.coordinator) });
  const server = await startGrpcCoordinatorServer(coordinator, {
    credentials: serverCredentialsFor(kit),
    authenticatePeer: (auth) => participantFromPeerCertificate(kit.manifest, auth.sslPeerCertificate),
  });
  return { coordinator, server };
}

async function runParticipant(id: string, address: string, kitFolder: string, claimedId = id, sent: string[] = []) {
  const kit = await loadStartupKit(kitFolder);
  const connection = await GrpcFederationConnection.connect({
    address,
    credentials: channelCredentialsFor(kit),
    connectTimeoutMs: scaledMs(5_000),
    onEgress: (record) => sent.push(record.method),
  });
  return new Participant({
    pinnedJobSha256: kit.manifest.jobSha256,
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
  }, scaledMs(90_000));

  it('a participant refuses, right after its Join, a coordinator running another job than its kit pins', async () => {
    expect(otherJob.ckks).toEqual(job.ckks);
    const { coordinator, server } = await startMtlsCoordinator(otherJob);
    try {
      void coordinator.run();
      const sent: string[] = [];
      const pinned = jobSha256(job).slice(0, 12);
      const offered = jobSha256(otherJob).slice(0, 12);
      const refusal = runParticipant('bank', server.address, kits.bank as string, 'bank', sent);
      await expect(refusal).rejects.toThrow(ConfigError);
      await expect(refusal).rejects.toThrow(new RegExp(`participant "bank" refuses job "mtls": its SHA-256 is ${offered}.*pins ${pinned}.*provisioned for another job`));
      expect(sent).toEqual(['Join']);
    } finally {
      coordinator.stop('test finished');
      await server.shutdown();
    }
  }, scaledMs(60_000));

  it('the coordinator command refuses, with exit 3, a job file other than the one its kit pins', async () => {
    const otherJobFile = join(directory, 'other-job.json');
    await writeFile(otherJobFile, JSON.stringify(otherJob));
    const run = await runHefl(['coordinator', '--job', otherJobFile, '--keys', keys.coordinator, '--kit', kits.coordinator as string, '--port', '0', '--quiet']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(jobSha256(job).slice(0, 12));
    expect(run.stderr).toContain(jobSha256(otherJob).slice(0, 12));
    expect(run.stderr).toMatch(/provisioned for another job/);
  }, scaledMs(60_000));

  it('refuses a revoked node, which stays refused', async () => {
    await revokeNode(caDirectory, Object.values(kits), 'government', 'key compromise');
    const manifest = (await loadStartupKit(kits.coordinator as string)).manifest;
    expect(manifest.revoked.map((entry) => entry.reason)).toEqual(['key compromise']);
    // Re-signing keeps the pinned job.
    expect(manifest.jobSha256).toBe(jobSha256(job));
    const { coordinator, server } = await startMtlsCoordinator();
    try {
      void coordinator.run();
      await expect(runParticipant('government', server.address, kits.government as string)).rejects.toThrow(/government.*revoked/);
    } finally {
      coordinator.stop('test finished');
      await server.shutdown();
    }
  }, scaledMs(60_000));
});
