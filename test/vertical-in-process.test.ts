import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verticalJobSpecSchema } from '../protocols/vertical/vertical-job-spec.js';
import { scaledMs } from './support/time-scale.js';
import { runVerticalInProcess } from './support/vertical-in-process.js';

// The accepted path of everything the refusal tests attack: a small threshold-custody job over real gRPC,
// every party behind its egress guard, and every request it sent judged and in its ledger.
describe('a small vertical job over gRPC with every egress guard on', () => {
  const directory = mkdtempSync(join(tmpdir(), 'hefl-vertical-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('finishes, intersects the common customers, and no guard refused or let plaintext out', async () => {
    const ids = Array.from({ length: 60 }, (_, index) => `c${index}`);
    writeFileSync(join(directory, 'bank.csv'), ['id,income,y', ...ids.map((id, index) => `${id},${(index % 7) / 3},${index % 3 === 0 ? 'yes' : 'no'}`)].join('\n'));
    writeFileSync(join(directory, 'telco.csv'), ['id,minutes', ...ids.slice(5).map((id, index) => `${id},${(index % 5) / 2}`)].join('\n'));
    const job = verticalJobSpecSchema.parse({
      kind: 'vertical-logistic-regression',
      jobId: 'job-in-process',
      parties: [
        { id: 'bank', idColumn: 'id', features: { numeric: ['income'] }, label: { column: 'y', positive: 'yes', negative: 'no' } },
        { id: 'telco', idColumn: 'id', features: { numeric: ['minutes'] } },
      ],
      training: { epochs: 1, batchSize: 32, validationFraction: 0.2 },
    });
    const result = await runVerticalInProcess({ job, dataFiles: { bank: join(directory, 'bank.csv'), telco: join(directory, 'telco.csv') }, workDirectory: join(directory, 'work'), psiWorkers: 1 });
    expect(Object.values(result.outcomes).filter((outcome) => outcome instanceof Error)).toEqual([]);
    expect(result.report).toMatchObject({ status: 'finished', intersectionSize: 55, epochs: [{ epoch: 0, validationRows: 11 }] });
    for (const party of ['bank', 'telco']) {
      const lines = readFileSync(result.ledgers[party] as string, 'utf8')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as { messageType: string; classification: string; metadataFields?: { kind?: string } });
      expect(lines.length).toBeGreaterThan(10);
      expect(new Set(lines.map((line) => line.classification))).toEqual(new Set(['metadata', 'ciphertext']));
      const kinds = new Set(lines.map((line) => line.metadataFields?.kind).filter((kind) => kind !== undefined));
      expect(kinds).toContain('forward-part');
      expect(kinds).toContain('gradient-products');
      expect(kinds).toContain('coefficient-shares');
      expect(kinds).toContain(party === 'bank' ? 'epoch-metrics' : 'score-shares');
    }
  }, scaledMs(30_000));
});
