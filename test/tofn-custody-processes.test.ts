import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { launchLocalFederation } from '../examples/local-federation/launch-local-federation.js';
import { bankJob, writeParticipantSlices } from './support/bank-slices.js';
import { compareSavedModelWithPlainFedAvg } from './support/compare-saved-model-with-plain-fedavg.js';
import { runHefl } from './support/run-hefl.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

/** Each partial decryption a node's ledger records: the c1 it decrypts and the committee it was released for. */
async function releasedShares(ledger: string): Promise<{ c1: string; committee: string }[]> {
  const text = await readFile(ledger, 'utf8').catch(() => '');
  const shares: { c1: string; committee: string }[] = [];
  let committee = '';
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record: { direction?: string; messageType?: string; classification?: string; metadataFields?: Record<string, unknown> };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      continue; // the last line of a SIGKILLed node may be cut short
    }
    if (record.direction !== 'egress' || record.messageType !== 'SubmitDecryptionShare' || record.classification !== 'ciphertext') continue;
    const fields = record.metadataFields ?? {};
    if (typeof fields.contributorsSha256 === 'string') committee = typeof fields.committeeSha256 === 'string' ? fields.committeeSha256 : 'none';
    if (typeof fields.c1Sha256 === 'string') shares.push({ c1: fields.c1Sha256, committee });
  }
  return shares;
}

describe.skipIf(!bankMarketingDataAvailable)('t-of-N custody end to end (coordinator + 5 participant processes, t = 3)', () => {
  it(
    'round 1: p4 and p5 SIGKILLed after uploading, the committee decrypts without them; round 2: committee member p3 SIGKILLed while decrypting, restarted, the round runs again with fresh uploads; model = plaintext FedAvg of the contributors',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'hefl-tofn-processes-'));
      directories.push(directory);
      const { ids, files } = await writeParticipantSlices(join(directory, 'data'), 5, 120);
      const job = bankJob({
        jobId: 'tofn-processes',
        training: { rounds: 2, localEpochs: 1, batchSize: 64, learningRate: 0.01, optimizer: 'adam', seed: 7 },
        custody: { mode: 'threshold', threshold: 3 },
        federation: { participants: ids, minParticipants: 3, roundRetries: 1, roundDeadlineSeconds: scaledSeconds(60), joinDeadlineSeconds: scaledSeconds(60) },
      });
      const coordinatorLines: string[] = [];
      const started = performance.now();
      const result = await launchLocalFederation({
        workDirectory: join(directory, 'federation'),
        job,
        nodes: ids.map((participantId) => ({ participantId, dataCsv: files[participantId] as string, privacy: { verifyAggregate: true, maxRoundRetries: 1, minContributors: 3 } })),
        kill: ['p4', 'p5'].map((participantId) => ({ participantId, afterLogLine: /"round":1,"kind":"training","chunkCount":\d+,"msg":"encrypted update accepted"/ })),
        killAndRestart: { participantId: 'p3', afterLogLine: /"round":2,"kind":"training","contributors":3,"msg":"aggregate verified against every signed contribution"/ },
        onCoordinatorLine: (line) => coordinatorLines.push(line),
        timeoutMs: scaledMs(240_000),
      });
      const seconds = (performance.now() - started) / 1000;
      const log = await readFile(join(result.logDirectory, 'coordinator.log'), 'utf8');
      expect(result.coordinatorExitCode, log.slice(-3000)).toBe(0);
      console.info(`t-of-N processes N=5 t=3, 2 rounds with 2 nodes lost and 1 committee member restarted: ${seconds.toFixed(1)} s`);
      expect(log).toMatch(/t-of-N resharing done; every cover committee decrypted its canary/);
      const resharingMs = /"resharingMs":(\d+),"msg":"t-of-N resharing done/.exec(log)?.[1];
      console.info(`t-of-N resharing (sealing keys, sealed shares relayed, cover check of ${Math.ceil(5 / 3)} canaries): ${resharingMs} ms`);
      // Round 1 (training): all five contributed, p4 and p5 were gone before decryption.
      const round1 = result.report.rounds.find((entry) => entry.round === 1 && entry.kind === 'training');
      expect(round1?.contributors).toEqual(ids);
      // Round 2 (training): the committee lost p3 mid-decryption; the round ran again with p1–p3.
      expect(log).toMatch(/"round":2,.*committee member p3 left before sending its decryption share; the round runs again with fresh uploads/);
      const round2 = result.report.rounds.find((entry) => entry.round === 2 && entry.kind === 'training');
      expect(round2?.contributors).toEqual(['p1', 'p2', 'p3']);
      const { maxError } = await compareSavedModelWithPlainFedAvg(job, result.outputDirectories.p1 as string, ids.map((id) => files[id] as string), (round, index) => round === 1 || index < 3);
      expect(maxError).toBeLessThan(1e-5);
      // One committee per c1 in every ledger, across nodes; the auditor agrees.
      const ledgers = ids.map((id) => join(result.outputDirectories[id] as string, 'egress.jsonl'));
      const committeesByC1 = new Map<string, Set<string>>();
      for (const ledger of ledgers) for (const share of await releasedShares(ledger)) committeesByC1.set(share.c1, (committeesByC1.get(share.c1) ?? new Set()).add(share.committee));
      expect(committeesByC1.size).toBeGreaterThan(0);
      expect([...committeesByC1.values()].every((committees) => committees.size === 1 && !committees.has('none'))).toBe(true);
      const audit = await runHefl(['audit', 'verify', '--roster', join(directory, 'federation', 'keys', 'coordinator', 'keys.json'), ...ledgers.slice(0, 3)]);
      expect(audit.stdout, audit.stdout + audit.stderr).toMatch(/decrypted by a t-of-N committee, one committee each/);
    },
    scaledMs(300_000),
  );
});
