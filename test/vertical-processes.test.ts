import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { bankMarketingVerticalJob } from '../examples/bank-marketing-vertical/bank-marketing-vertical-job.js';
import { launchLocalFederation, type LocalFederationResult } from '../examples/local-federation/launch-local-federation.js';
import type { VerticalJobReport } from '../coordinator/vertical/vertical-coordinator.js';
import { ledgerRecordSchema, type LedgerRecord } from '../protocols/ledger/ledger-record.js';
import { hashIdsToCurve, psiDst } from '../protocols/psi/hash-to-curve.js';
import { verticalJobSpecSchema } from '../protocols/vertical/vertical-job-spec.js';
import { runHefl } from './support/run-hefl.js';
import { writeVerticalSlices, type VerticalSlices } from './support/vertical-bank-slices.js';
import { scaledMs } from './support/time-scale.js';

const PARTIES = ['bank', 'ecommerce', 'government'] as const;

async function ledgerOf(path: string): Promise<LedgerRecord[]> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => ledgerRecordSchema.parse(JSON.parse(line)));
}

/**
 * A vertical job as institutions run it: `hefl keys init`, `hefl provision` (mutual TLS), a coordinator
 * process and one process per party over gRPC, every party keeping the exact bytes of everything it sent. The e-commerce node is
 * killed (SIGKILL) in the middle of a batch and started again with the same config.
 */
describe.skipIf(!bankMarketingDataAvailable)('vertical job in separate processes: what leaves a party, and a party killed mid-epoch', () => {
  const job = verticalJobSpecSchema.parse(bankMarketingVerticalJob({ jobId: 'vertical-processes', training: { epochs: 2, batchSize: 1_024 }, psi: { padTo: 4_000 } }));
  let directory: string;
  let slices: VerticalSlices;
  let federation: LocalFederationResult<VerticalJobReport>;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'hefl-vertical-processes-'));
    slices = await writeVerticalSlices(join(directory, 'data'), 4_000);
    federation = await launchLocalFederation({
      workDirectory: join(directory, 'federation'),
      job,
      nodes: PARTIES.map((party) => ({ participantId: party, dataCsv: slices.files[party] })),
      keepPayloads: true,
      // Every node over mutual TLS: party ids come from their certificates.
      mutualTls: true,
      // Mid-batch: after its gradient products left, before its coefficient shares and its update.
      killAndRestart: { participantId: 'ecommerce', afterLogLine: /"epoch":0,"batch":1,.*"msg":"gradient products posted"/ },
      timeoutMs: scaledMs(300_000),
    });
  }, scaledMs(360_000));

  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('finishes with every process exiting 0, the killed party continuing from its own state', async () => {
    expect(federation.report.status, federation.report.reason).toBe('finished');
    expect(federation.coordinatorExitCode).toBe(0);
    expect(federation.participantExitCodes).toEqual({ bank: 0, ecommerce: 0, government: 0 });
    expect(federation.report.epochs).toHaveLength(2);
    for (const epoch of federation.report.epochs) expect(epoch.validationAuc).toBeGreaterThan(0.3);
    const restarted = await readFile(join(federation.logDirectory, 'ecommerce.restarted.log'), 'utf8');
    // The restarted node neither set up keys nor ran PSI again; it re-sent what it had sent, bit for bit.
    expect(restarted).not.toMatch(/private set intersection done/);
    expect(restarted).toMatch(/"epoch":0,"batch":1,.*"msg":"batch done"/);
    expect(federation.report.duplicatesAccepted).toBeGreaterThan(0);
    expect(await readFile(join(federation.logDirectory, 'coordinator.log'), 'utf8')).toMatch(/mutual TLS on/);
  });

  it('no id, no unblinded id hash and no raw feature value leaves any party, in any kept payload', async () => {
    for (const party of PARTIES) {
      const table = slices.tables[party];
      const idColumn = table.header.indexOf('customer_id');
      const ids = table.rows.map((row) => row[idColumn] as string);
      const points = hashIdsToCurve(ids.slice(0, 300), psiDst(job.jobId));
      const needles = [
        ...ids.slice(0, 300).map((id) => Buffer.from(id, 'utf8')),
        ...Array.from({ length: 300 }, (_, index) => Buffer.from(points.subarray(index * 32, index * 32 + 32))),
      ];
      // Raw numeric values of the party's own columns, as float64 and as text.
      for (const [column, name] of table.header.entries()) {
        if (name === 'customer_id') continue;
        for (const row of table.rows.slice(0, 40)) {
          const value = Number(row[column]);
          if (Number.isFinite(value) && !Number.isInteger(value)) {
            const float = Buffer.alloc(8);
            float.writeDoubleLE(value);
            needles.push(float);
            // As text only when long enough not to occur by chance in megabytes of ciphertext ("1.1" would).
            const text = String(row[column]);
            if (text.length >= 5) needles.push(Buffer.from(text, 'utf8'));
          }
        }
      }
      const payloads = join(federation.outputDirectories[party] as string, 'payloads');
      const files = await readdir(payloads);
      expect(files.length).toBeGreaterThan(20);
      for (const file of files) {
        const bytes = await readFile(join(payloads, file));
        for (const needle of needles) expect(bytes.indexOf(needle), `${party} ${file} holds ${needle.toString('hex')}`).toBe(-1);
      }
    }
  });

  it('every ledger record is ciphertext or bounded metadata, of the expected kinds, each address released once', async () => {
    const allowed = new Set(['key-seed-commitment', 'key-seed-reveal', 'key-share-commitment', 'key-public-share', 'sealing-key', 'psi-blinded', 'forward-part', 'gradient-products', 'coefficient-shares', 'score-part', 'score-shares', 'epoch-metrics', 'done']);
    for (const party of PARTIES) {
      const records = await ledgerOf(join(federation.outputDirectories[party] as string, 'egress.jsonl'));
      expect(records.filter((record) => !['ciphertext', 'metadata'].includes(record.classification))).toEqual([]);
      const posted = records.filter((record) => record.messageType === 'PostVertical');
      for (const record of posted) expect(allowed.has(String(record.metadataFields?.kind)), String(record.metadataFields?.kind)).toBe(true);
      // Only the label holder reports metrics; only hosts send score shares (sealed to the bank).
      expect(posted.some((record) => record.metadataFields?.kind === 'epoch-metrics')).toBe(party === 'bank');
      expect(posted.some((record) => record.metadataFields?.kind === 'score-shares')).toBe(party !== 'bank');
      const shareAddresses = new Set(posted.filter((record) => record.metadataFields?.kind === 'coefficient-shares').map((record) => String(record.metadataFields?.address)));
      // One sealed share set per other party per batch: 2 epochs x batches x 2 peers.
      expect(shareAddresses.size % 2).toBe(0);
      expect(shareAddresses.size).toBeGreaterThanOrEqual(2 * 2 * 2);
    }
  });

  it('hefl audit verify re-judges every kept payload, matches every party\'s ledger with the coordinator\'s ingress ledger, and passes', async () => {
    const roster = join(directory, 'federation', 'keys', 'coordinator', 'keys.json');
    const ledgers = PARTIES.map((party) => join(federation.outputDirectories[party] as string, 'egress.jsonl'));
    const ingress = join(directory, 'federation', 'coordinator-ingress.jsonl');
    const audit = await runHefl(['audit', 'verify', '--roster', roster, ...ledgers, ingress]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/verdict: every ledger verifies/);
    expect(audit.stdout).toMatch(/kept payloads re-classified/);
    // Every message each party recorded as sent arrived, from that party as its certificate proves.
    for (const party of PARTIES) {
      const line = new RegExp(`${party} -> coordinator: (\\d+) of (\\d+) sent messages found in the ingress ledger`).exec(audit.stdout);
      expect(line, audit.stdout).not.toBeNull();
      expect(line?.[1]).toBe(line?.[2]);
    }
  }, scaledMs(120_000));
});
