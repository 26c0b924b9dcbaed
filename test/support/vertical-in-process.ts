import { generateIdentity, loadIdentityPrivateKey, loadIdentityPublicKey } from '../../protocols/identity/participant-identity.js';
import { join } from 'node:path';

const IN_PROCESS_FINGERPRINT = 'f'.repeat(64);
import type { KeyObject } from 'node:crypto';
import { LedgerWriter } from '../../protocols/ledger/ledger-writer.js';
import { intersectBlindedLists } from '../../protocols/psi/intersect.js';
import type { VerticalJobSpec } from '../../protocols/vertical/vertical-job-spec.js';
import { VerticalCoordinator, type VerticalJobReport } from '../../coordinator/vertical/vertical-coordinator.js';
import { startGrpcVerticalServer } from '../../coordinator/vertical/grpc-vertical-server.js';
import { createVerticalSum } from '../../coordinator/vertical/vertical-sum.js';
import { createVerticalEgressGuard } from '../../participant/vertical/create-vertical-egress-guard.js';
import { GrpcVerticalConnection } from '../../participant/vertical/grpc-vertical-connection.js';
import { VerticalParty, type VerticalPartyOutcome } from '../../participant/vertical/vertical-party.js';

/**
 * A whole vertical federation in this process over real gRPC on loopback (coordinator plus one
 * VerticalParty per party, each with its own ledger and egress guard): for tests that need to look
 * inside. The demo and the CLI tests run the same code as separate processes.
 */
export async function runVerticalInProcess(options: {
  job: VerticalJobSpec;
  dataFiles: Readonly<Record<string, string>>;
  workDirectory: string;
  psiWorkers?: number;
  /** The label holder's new customers to score (jobs with scoring). */
  scoringCsv?: string;
  onGradient?: (participantId: string, epoch: number, batch: number, sums: Float64Array) => void;
}): Promise<{ report: VerticalJobReport; outcomes: Record<string, VerticalPartyOutcome | Error>; ledgers: Record<string, string>; outputs: Record<string, string> }> {
  const { job } = options;
  const pems = new Map(job.parties.map((party) => [party.id, generateIdentity()]));
  const publicKeys = new Map<string, KeyObject>([...pems].map(([id, pair]) => [id, loadIdentityPublicKey(pair.publicKeyPem)]));
  using sum = await createVerticalSum(job.custody.mode, job.ckks);
  const coordinator = new VerticalCoordinator({ job, identities: publicKeys, keyFingerprint: IN_PROCESS_FINGERPRINT, sum, intersect: (lists) => intersectBlindedLists(lists) });
  const server = await startGrpcVerticalServer(coordinator);
  const outcomes: Record<string, VerticalPartyOutcome | Error> = {};
  const ledgers: Record<string, string> = {};
  const outputs: Record<string, string> = {};
  try {
    await Promise.all(
      job.parties.map(async (party) => {
        const outputDirectory = join(options.workDirectory, party.id);
        outputs[party.id] = outputDirectory;
        ledgers[party.id] = join(outputDirectory, 'egress.jsonl');
        const identityKey = loadIdentityPrivateKey((pems.get(party.id) as { privateKeyPem: string }).privateKeyPem);
        const ledger = new LedgerWriter(ledgers[party.id], party.id, identityKey);
        using judged = await createVerticalEgressGuard(ledger, job.ckks, { allowPlaintext: job.custody.mode === 'none' });
        const connection = await GrpcVerticalConnection.connect({ address: server.address, jobId: job.jobId, participantId: party.id, onEgress: (record) => judged.guard.check(record) });
        try {
          outcomes[party.id] = await new VerticalParty({
            participantId: party.id,
            jobId: job.jobId,
            dataCsv: options.dataFiles[party.id] as string,
            ...(party.label && options.scoringCsv ? { scoringCsv: options.scoringCsv } : {}),
            outputDirectory,
            connection,
            guard: judged.guard,
            identityKey,
            peerIdentities: publicKeys,
            keyFingerprint: IN_PROCESS_FINGERPRINT,
            allowUnencrypted: job.custody.mode === 'none',
            ...(options.psiWorkers === undefined ? {} : { psiWorkers: options.psiWorkers }),
            ...(options.onGradient ? { onGradient: (epoch: number, batch: number, sums: Float64Array) => options.onGradient?.(party.id, epoch, batch, sums) } : {}),
          }).run();
        } catch (error) {
          outcomes[party.id] = error instanceof Error ? error : new Error(String(error));
          coordinator.fail(`${party.id} stopped: ${outcomes[party.id] instanceof Error ? (outcomes[party.id] as Error).message : ''}`);
        } finally {
          connection.close();
        }
      }),
    );
    return { report: await coordinator.finished, outcomes, ledgers, outputs };
  } finally {
    await server.shutdown();
  }
}
