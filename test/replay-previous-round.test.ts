import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../coordinator/coordinator.js';
import { startGrpcCoordinatorServer } from '../coordinator/grpc-coordinator-server.js';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { GrpcFederationConnection } from '../participant/grpc-federation-connection.js';
import { Participant } from '../participant/participant.js';
import { loadFederationService } from '../proto/load-federation-service.js';
import type { UpdateChunk } from '../proto/generated/hefl/v1/UpdateChunk.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { readCoordinatorKeys, readParticipantKeys } from '../protocols/keys/read-key-folder.js';
import { bankJob, writeBankSlices } from './support/bank-slices.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

async function waitFor(predicate: () => boolean, timeoutMs = scaledMs(10_000)): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}

interface Answer {
  readonly ok: boolean;
  readonly details: string;
}

/** Streams wire chunks as a raw gRPC client would (no egress guard, no wire mapping). */
function submitRaw(address: string, chunks: readonly UpdateChunk[]): Promise<Answer> {
  const service = loadFederationService();
  const Client = grpc.makeGenericClientConstructor(service, 'Federation');
  const client = new Client(address, grpc.credentials.createInsecure()) as unknown as {
    submitUpdate(callback: (error: grpc.ServiceError | null, receipt?: { accepted: boolean; reason: string }) => void): grpc.ClientWritableStream<UpdateChunk>;
    close(): void;
  };
  return new Promise<Answer>((resolve) => {
    const call = client.submitUpdate((error, receipt) => {
      client.close();
      resolve(error ? { ok: false, details: error.details } : { ok: Boolean(receipt?.accepted), details: receipt?.reason ?? '' });
    });
    for (const chunk of chunks) call.write(chunk);
    call.end();
  });
}

describe.skipIf(!bankMarketingDataAvailable)('replaying a previous round\'s update', () => {
  it('is refused verbatim, with its round edited, and with a fresh nonce too; the round sums only current updates', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-replay-'));
    directories.push(directory);
    const slices = await writeBankSlices(join(directory, 'data'), 300, 50);
    const job = bankJob({
      jobId: 'replay',
      training: { rounds: 2, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 4 },
      federation: { participants: ['bank', 'ecommerce'], minParticipants: 2, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
    });
    const folders = await initFederationKeys(job, join(directory, 'keys'));
    const coordinator = await Coordinator.create({ job, keys: await readCoordinatorKeys(folders.coordinator) });
    const server = await startGrpcCoordinatorServer(coordinator);
    const service = loadFederationService();
    // Everything bank's node sent, as exact bytes: what an eavesdropper or a malicious relay could replay.
    const captured: Uint8Array[] = [];
    const replays: Promise<(Answer | boolean)[]>[] = [];
    coordinator.observe((observation) => {
      if (observation.type !== 'round-completed' || observation.summary.round !== 1) return;
      const roundOne = captured
        .map((bytes) => service.SubmitUpdate.requestDeserialize(Buffer.from(bytes)) as UpdateChunk)
        // Round 1's training update (the round's evaluation update travels separately).
        .filter((chunk) => chunk.round === 1 && chunk.metadata?.kind === 'ROUND_KIND_TRAINING');
      replays.push(
        (async () => [
          // Round 2 opens right after round 1 completes; replay as soon as it accepts updates.
          await waitFor(() => coordinator.participantActivity().some((activity) => activity.state === 'training')),
          await submitRaw(server.address, roundOne.map((chunk, index) => ({ ...chunk, round: 2, nonce: index === 0 ? randomBytes(16) : Buffer.alloc(0) }))),
          await submitRaw(server.address, roundOne),
          await submitRaw(server.address, roundOne.map((chunk) => ({ ...chunk, round: 2 }))),
        ])(),
      );
    });
    try {
      const running = coordinator.run();
      const outcomes = await Promise.all(
        (['bank', 'ecommerce'] as const).map(async (id) =>
          new Participant({
            participantId: id,
            jobId: job.jobId,
            dataCsv: slices.files[id],
            keys: await readParticipantKeys(folders.participants[id] as string),
            connection: await GrpcFederationConnection.connect({
              address: server.address,
              ...(id === 'bank' ? { onEgress: (record) => void (record.method === 'SubmitUpdate' && captured.push(record.bytes)) } : {}),
            }),
          }).run(),
        ),
      );
      const report = await running;
      const [, freshNonce, verbatim, roundEdited] = (await (replays[0] as Promise<(Answer | boolean)[]>)) as [boolean, Answer, Answer, Answer];
      expect(verbatim?.ok).toBe(false);
      expect(verbatim?.details).toMatch(/round 1 is not the current round/);
      expect(roundEdited?.ok).toBe(false);
      expect(roundEdited?.details).toMatch(/replayed message: this nonce was already used|no round is accepting updates/);
      expect(freshNonce?.ok).toBe(false);
      // Round edited and a fresh nonce: the signature covers the round, so the update is not bank's for round 2.
      expect(freshNonce?.details).toMatch(/signature|already contributed/);
      expect(report.status).toBe('finished');
      const roundTwo = report.rounds.find((round) => round.round === 2);
      expect(roundTwo?.contributors).toEqual(['bank', 'ecommerce']);
      expect(roundTwo?.totalWeight).toBe(outcomes.reduce((total, outcome) => total + outcome.sampleCount, 0));
    } finally {
      await server.shutdown();
    }
  }, scaledMs(90_000));
});
