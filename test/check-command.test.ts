import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../cli/exit-codes.js';
import { hasStackTrace } from './support/run-hefl.js';
// In this process (the same main() a `hefl` process runs): seven process starts cost ~30 s of the suite.
import { runHeflInProcess as runHefl } from './support/run-hefl-in-process.js';

// `hefl check` reads the job and the node's CSVs only: the node config below names a coordinator
// nobody listens on and a key folder that does not exist, and the check never needs either.
const JOB_YAML = `jobId: check-job
model: { kind: logistic-regression }
features:
  numeric: [age, balance]
  categorical:
    - { name: tier, categories: [1, 2, 3] }
    - { name: contact, categories: [cellular, telephone] }
  label: { column: y, positive: "yes", negative: "no" }
  ignored: [note]
training: { rounds: 2, localEpochs: 1, batchSize: 32, learningRate: 0.01, optimizer: adam, seed: 1, clipNorm: 0 }
federation: { participants: [bank, shop], minParticipants: 2 }
`;

const VERTICAL_YAML = `kind: vertical-logistic-regression
jobId: check-vertical
parties:
  - id: bank
    idColumn: customer_id
    features: { numeric: [age], categorical: [{ name: segment, categories: [10, 20] }] }
    label: { column: y, positive: "1", negative: "0" }
  - id: shop
    idColumn: email
    features: { numeric: [spend] }
`;

let directory: string;
const at = (name: string): string => join(directory, name);

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-check-command-'));
  await writeFile(at('job.yaml'), JOB_YAML);
  await writeFile(at('vertical.yaml'), VERTICAL_YAML);
  await writeFile(at('bad.csv'), ['age,balance,tier,contact,y,note', '30,100,1,cellular,yes,a', '41,abc,2.0,telephone,no,b', ',5,4,celular,no,c', '50,7,3,cellular,maybe,d', '60,8', ''].join('\n'));
  await writeFile(at('clean.csv'), ['age,balance,tier,contact,y,note', '30,100,1,cellular,yes,a', '41,-3.5,2.0,telephone,no,b', '52,5,3.00,cellular,no,c', ''].join('\n'));
  await writeFile(at('bank-vertical.csv'), ['customer_id,age,segment,y', 'c1,30,10,1', 'c2,40,20.0,0', 'c2,41,20,0', ',50,30,1', ''].join('\n'));
  const node = (dataCsv: string, jobId = 'check-job'): string =>
    `participantId: bank\njobId: ${jobId}\ncoordinator: 127.0.0.1:1\ndataCsv: ${dataCsv}\nkeysDir: keys/does-not-exist\n`;
  await writeFile(at('bad-node.yaml'), node('bad.csv'));
  await writeFile(at('clean-node.yaml'), `${node('clean.csv')}evaluationCsv: clean.csv\n`);
  await writeFile(at('other-job-node.yaml'), node('clean.csv', 'another-job'));
  await writeFile(at('vertical-node.yaml'), node('bank-vertical.csv', 'check-vertical'));
});

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('hefl check', () => {
  it('lists every problem of a CSV with file, line and column, and exits 4', async () => {
    const run = await runHefl(['check', '--job', at('job.yaml'), '--config', at('bad-node.yaml')]);
    expect(run.code, run.stderr).toBe(EXIT.dataset);
    const bad = at('bad.csv');
    for (const problem of [
      `${bad}: line 3, column "balance": "abc" is not a finite number`,
      `${bad}: line 4, column "age": "" is not a finite number`,
      `${bad}: line 4, column "tier": unknown category "4"`,
      `${bad}: line 4, column "contact": unknown category "celular"`,
      `${bad}: line 5, column "y": label "maybe" is neither`,
      `${bad}: line 6: expected 6 cells, found 2`,
    ]) {
      expect(run.stdout).toContain(problem);
    }
    expect(run.stdout).toContain('6 problems');
    expect(run.stdout).toContain('unknown: "celular" 1 (did you mean "cellular"?)');
    expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
  });

  it('a clean CSV (2.0 and 3.00 are the categories 2 and 3) exits 0 with the summary', async () => {
    const run = await runHefl(['check', '--job', at('job.yaml'), '--config', at('clean-node.yaml')]);
    expect(run.code, run.stdout + run.stderr).toBe(EXIT.ok);
    expect(run.stdout).toContain('(training data): no problems');
    expect(run.stdout).toContain('(evaluation data): no problems');
    expect(run.stdout).toContain('rows: 3');
    expect(run.stdout).toContain('label "y": "yes" 1 (33.3 %), "no" 2 (66.7 %); 0 invalid');
    expect(run.stdout).toContain('numeric "balance": min -3.5, max 100, mean 33.8333; 0 missing, 0 invalid');
    expect(run.stdout).toContain('categorical "tier": "1" 1, "2" 1, "3" 1');
    expect(run.stdout).toContain('result: no problems in 2 files');
  });

  it('--csv with --json gives one JSON document for machines', async () => {
    const run = await runHefl(['check', '--job', at('job.yaml'), '--csv', at('bad.csv'), '--json']);
    expect(run.code).toBe(EXIT.dataset);
    const report = JSON.parse(run.stdout) as { ok: boolean; files: { problems: { total: number; listed: { line?: number }[] } }[] };
    expect(report.ok).toBe(false);
    expect(report.files[0]?.problems.total).toBe(6);
    expect(report.files[0]?.problems.listed.map((problem) => problem.line)).toEqual([3, 4, 4, 4, 5, 6]);
  });

  it('checks a vertical party: repeated and empty ids, numeric categories', async () => {
    const run = await runHefl(['check', '--job', at('vertical.yaml'), '--config', at('vertical-node.yaml')]);
    expect(run.code).toBe(EXIT.dataset);
    expect(run.stdout).toContain(`${at('bank-vertical.csv')}: line 4, column "customer_id": id "c2" repeats line 3`);
    expect(run.stdout).toContain(`${at('bank-vertical.csv')}: line 5, column "customer_id": the id is empty`);
    expect(run.stdout).toContain(`${at('bank-vertical.csv')}: line 5, column "segment": unknown category "30"`);
    expect(run.stdout).toContain('id "customer_id": 1 empty, 1 repeated');
    expect(run.stdout).toContain('categorical "segment": "10" 1, "20" 2');
  });

  it('exits 3 on a config for another job and 2 on a bad command line', async () => {
    const other = await runHefl(['check', '--job', at('job.yaml'), '--config', at('other-job-node.yaml')]);
    expect(other.code).toBe(EXIT.config);
    expect(other.stderr).toContain('jobId "another-job"');
    expect((await runHefl(['check', '--job', at('job.yaml')])).code).toBe(EXIT.usage);
    expect((await runHefl(['check', '--job', at('vertical.yaml'), '--csv', at('bank-vertical.csv')])).code).toBe(EXIT.usage);
  });
});
