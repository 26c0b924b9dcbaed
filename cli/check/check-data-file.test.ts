import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureSchemaSchema } from '../../protocols/data/feature-schema.js';
import { partyFeatureSpecSchema } from '../../protocols/vertical/party-feature-spec.js';
import { checkHorizontalFile, checkPartyFile } from './check-data-file.js';
import { formatCheckReport } from './format-check-report.js';
import { ProblemCollector } from './problem-collector.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-check-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function file(name: string, lines: string[]): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

const schema = featureSchemaSchema.parse({
  numeric: ['age'],
  categorical: [{ name: 'job', categories: ['admin.', 'retired'] }, { name: 'tier', categories: [1, 2] }],
  label: { column: 'y', positive: 'yes', negative: 'no' },
});

describe('checkHorizontalFile', () => {
  it('counts missing cells a policy fills apart from invalid ones, and reads numeric labels by value', async () => {
    const withPolicy = featureSchemaSchema.parse({
      numeric: ['age'],
      categorical: [{ name: 'tier', categories: [1, 2] }],
      label: { column: 'y', positive: 1, negative: 0 },
      missing: { markers: ['', 'NA'], columns: { age: { fill: 'mean' }, tier: { fill: 'missing-category' } } },
    });
    const path = await file('policy.csv', ['age,tier,y', '30,1,1.0', 'NA,,0', ',2.0,0', 'old,2,1']);
    const check = await checkHorizontalFile({ path, role: 'training data' }, withPolicy);
    expect(check.problems.listed.map((problem) => [problem.line, problem.column])).toEqual([[5, 'age']]);
    expect(check.summary?.numeric[0]).toMatchObject({ min: 30, max: 30, missing: 2, filled: 2, invalid: 1 });
    expect(check.summary?.categorical[0]).toMatchObject({ counts: [{ category: '1', count: 1 }, { category: '2', count: 2 }], filled: 1 });
    expect(check.summary?.label?.classes.map((entry) => entry.count)).toEqual([2, 2]);
    const report = formatCheckReport({ ok: false, job: { id: 'j', kind: 'horizontal' }, files: [check] });
    expect(report).toContain('numeric "age": min 30, max 30, mean 30; 2 missing (2 filled by the job\'s policy), 1 invalid');
    expect(report).toContain('1 missing (filled by the job\'s policy)');
  });

  it('lists every problem in file order and summarises the columns', async () => {
    const path = await file('bank.csv', ['age;job;tier;y', '30;admin.;1;yes', 'old;admn.;2.0;no', '50;retired;3', ';retired;2;no', '70;astronaut;1;maybe']);
    const check = await checkHorizontalFile({ path, role: 'training data' }, schema);
    expect(check.problems.total).toBe(6);
    expect(check.problems.listed.map((problem) => [problem.line, problem.column])).toEqual([
      [3, 'age'],
      [3, 'job'],
      [4, undefined],
      [5, 'age'],
      [6, 'job'],
      [6, 'y'],
    ]);
    const summary = check.summary;
    expect(summary?.rows).toBe(4);
    expect(summary?.label?.classes).toEqual([
      { value: 'yes', count: 1, share: 0.25 },
      { value: 'no', count: 2, share: 0.5 },
    ]);
    expect(summary?.label?.invalid).toBe(1);
    expect(summary?.numeric[0]).toMatchObject({ column: 'age', min: 30, max: 70, mean: 50, missing: 1, invalid: 1 });
    expect(summary?.categorical[0]?.counts).toEqual([{ category: 'admin.', count: 1 }, { category: 'retired', count: 1 }]);
    expect(summary?.categorical[0]?.unknown).toEqual([{ value: 'admn.', count: 1, didYouMean: 'admin.' }, { value: 'astronaut', count: 1 }]);
    expect(summary?.categorical[1]?.counts).toEqual([{ category: '1', count: 2 }, { category: '2', count: 2 }]);
    const text = formatCheckReport({ ok: false, job: { id: 'j', kind: 'horizontal' }, files: [check] });
    expect(text).toContain(`${path}: line 3, column "job": unknown category "admn."`);
    expect(text).toContain('label "y": "yes" 1 (25.0 %), "no" 2 (50.0 %); 1 invalid');
    expect(text).toContain('unknown: "admn." 1 (did you mean "admin."?)');
  });

  it('a file that is not there, or empty, is one problem and no summary', async () => {
    const check = await checkHorizontalFile({ path: join(directory, 'nope.csv'), role: 'training data' }, schema);
    expect(check.problems.listed).toEqual([{ source: join(directory, 'nope.csv'), message: 'cannot read the dataset: file not found' }]);
    expect(check.summary).toBeUndefined();
  });
});

describe('checkPartyFile', () => {
  it('counts empty and repeated ids and names undeclared columns', async () => {
    const path = await file('shop.csv', ['email,spend,leak', 'a@x,1,0', 'a@x,2,1', ',3,0', 'b@x,4,1']);
    const check = await checkPartyFile({ path, role: 'training data' }, { idColumn: 'email', features: partyFeatureSpecSchema.parse({ numeric: ['spend'] }) });
    expect(check.problems.total).toBe(3);
    expect(check.summary?.id).toEqual({ column: 'email', inHeader: true, empty: 1, duplicates: 1 });
    expect(check.summary?.undeclared).toEqual(['leak']);
  });
});

describe('ProblemCollector', () => {
  it('lists the first `cap` problems per column and counts the rest', () => {
    const collector = new ProblemCollector(2);
    for (let line = 2; line < 7; line += 1) collector.report({ source: 'a.csv', line, column: 'age', message: 'bad' });
    collector.report({ source: 'a.csv', line: 3, column: 'job', message: 'bad' });
    const result = collector.result();
    expect(result.total).toBe(6);
    expect(result.listed.map((problem) => `${problem.line}${problem.column}`)).toEqual(['2age', '3age', '3job']);
    expect(result.notListed).toEqual([{ column: 'age', count: 3 }]);
  });
});
