import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../cli/exit-codes.js';
import { Coordinator } from '../coordinator/coordinator.js';
import { startGrpcCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { ingressLedgerRecorder } from '../coordinator/ingress-ledger.js';
import { EgressGuard } from '../participant/egress-guard.js';
import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { CkksSession } from '../protocols/ckks/ckks-session.js';
import { initFederationKeys, type InitializedKeyFolders } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { ledgerRecordSchema } from '../protocols/ledger/ledger-record.js';
import { LedgerWriter } from '../protocols/ledger/ledger-writer.js';
import { federationInputSchema } from '../protocols/trust/federation-manifest.js';
import { provisionFederation } from '../provisioning/provision-federation.js';
import { channelCredentialsFor, loadStartupKit, participantFromPeerCertificate, serverCredentialsFor } from '../protocols/trust/startup-kit.js';
import { PROTOCOL_VERSION } from '../protocols/wire/federation-messages.js';
import { bankJob } from './support/bank-slices.js';
import { runHefl } from './support/run-hefl.js';

const job = bankJob({ jobId: 'spoofed-ingress' });
let directory: string;
let keys: InitializedKeyFolders;
let kits: Record<string, string>;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-spoof-'));
  keys = await initFederationKeys(job, join(directory, 'keys'));
  const input = federationInputSchema.parse({ federationId: 'banks', coordinator: { address: '127.0.0.1:0' }, participants: ['bank', 'ecommerce', 'government'] });
  ({ kits } = await provisionFederation(input, join(directory, 'kits')));
}, 60_000);

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('the ingress ledger files a spoofed message under the sender its certificate proves', () => {
  it('a Join from ecommerce\'s kit claiming government is refused, recorded under ecommerce, and government\'s audit stays clean', async () => {
    const coordinatorKeys = await readCoordinatorKeys(keys.coordinator);
    if (!coordinatorKeys.ledgerKey) throw new Error('the coordinator key folder has no ledger.key');
    const coordinatorKit = await loadStartupKit(kits.coordinator as string);
    const coordinator = await Coordinator.create({ job, keys: coordinatorKeys });
    const ingressPath = join(directory, 'coordinator-ingress.jsonl');
    const ingress = new LedgerWriter(ingressPath, 'coordinator', coordinatorKeys.ledgerKey);
    using classifier = await CkksSession.create(job.ckks);
    const server = await startGrpcCoordinatorServer(coordinator, {
      credentials: serverCredentialsFor(coordinatorKit),
      authenticatePeer: (auth) => participantFromPeerCertificate(coordinatorKit.manifest, auth.sslPeerCertificate),
      onRequestReceived: ingressLedgerRecorder(ingress, job, classifier),
    });
    void coordinator.run();
    const governmentKeys = await readParticipantKeys(keys.participants.government as string);
    if (!governmentKeys.identityKey) throw new Error('government has no identity key');
    const joinAsGovernment = { jobId: job.jobId, participantId: 'government', protocolVersion: PROTOCOL_VERSION, keyFingerprint: governmentKeys.manifest.keyFingerprint };
    const egressPath = join(directory, 'government', 'egress.jsonl');
    try {
      // A kit holder (ecommerce) claims to be government: refused by the certificate check.
      const spoofer = await GrpcFederationConnection.connect({
        address: server.address,
        credentials: channelCredentialsFor(await loadStartupKit(kits.ecommerce as string)),
        connectTimeoutMs: 5_000,
      });
      await expect(spoofer.join(joinAsGovernment)[Symbol.asyncIterator]().next()).rejects.toThrow(/certificate is "ecommerce"/);
      // Nor can it report a failure in government's name: the dashboard never shows one for government.
      const spoofedFailure = await spoofer.reportFailure({ jobId: job.jobId, participantId: 'government', code: 'internal', phase: 'training', round: 1 });
      expect(spoofedFailure).toMatchObject({ accepted: false, reason: expect.stringMatching(/certificate is "ecommerce"/) });
      expect(coordinator.participantActivity().find((participant) => participant.id === 'government')?.failure).toBeNull();
      spoofer.close();

      // The honest government joins, every message it sends going through its egress guard and ledger.
      const egress = new LedgerWriter(egressPath, 'government', governmentKeys.identityKey);
      using guard = await EgressGuard.create(egress, job.ckks);
      const honest = await GrpcFederationConnection.connect({
        address: server.address,
        credentials: channelCredentialsFor(await loadStartupKit(kits.government as string)),
        connectTimeoutMs: 5_000,
        onEgress: (record) => guard.check(record),
      });
      const events = honest.join(joinAsGovernment)[Symbol.asyncIterator]();
      expect((await events.next()).value).toMatchObject({ type: 'job-accepted' });
      await events.return?.();
      honest.close();
    } finally {
      coordinator.stop('test finished');
      await server.shutdown();
    }

    const records = (await readFile(ingressPath, 'utf8')).trim().split('\n').map((line) => ledgerRecordSchema.parse(JSON.parse(line)));
    const joins = records.filter((record) => record.direction === 'ingress' && record.messageType === 'Join');
    expect(joins).toHaveLength(2);
    expect(joins).toContainEqual(
      expect.objectContaining({ peer: 'ecommerce', peerAuthenticated: true, claimedPeer: 'government', refused: true, refusedBecause: expect.stringMatching(/certificate is "ecommerce"/) }),
    );
    expect(records.filter((record) => record.messageType === 'ReportFailure')).toEqual([
      expect.objectContaining({ peer: 'ecommerce', peerAuthenticated: true, claimedPeer: 'government', refused: true, classification: 'metadata' }),
    ]);
    const governmentJoins = joins.filter((record) => record.peer === 'government');
    expect(governmentJoins).toHaveLength(1);
    expect(governmentJoins[0]).toMatchObject({ peerAuthenticated: true });
    expect(governmentJoins[0]?.refused).toBeUndefined();
    expect(governmentJoins[0]?.claimedPeer).toBeUndefined();

    const audit = await runHefl(['audit', 'verify', '--roster', join(keys.coordinator, 'keys.json'), egressPath, ingressPath]);
    expect(audit.stdout).toMatch(/government -> coordinator: 1 of 1 sent messages found in the ingress ledger/);
    expect(audit.stdout).not.toMatch(/arrived as "government"/);
    expect(audit.stdout).toMatch(/refused by the coordinator, from "ecommerce": 2 messages/);
    expect(audit.stdout).toMatch(/ReportFailure, claiming to be "government": the message names participant "government", but the client certificate is "ecommerce"/);
    expect(audit.stdout).toMatch(/Join, claiming to be "government": the message names participant "government", but the client certificate is "ecommerce"/);
    expect(audit.stdout).toContain('verdict: every ledger verifies');
    expect(audit.code, audit.stdout + audit.stderr).toBe(EXIT.ok);
  }, 90_000);
});
