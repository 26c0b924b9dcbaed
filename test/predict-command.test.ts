import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../cli/exit-codes.js';
import { runHeflInProcess } from './support/run-hefl-in-process.js';
import { initializeTfBackend } from '../participant/model/initialize-tf-backend.js';
import { FIXTURE_ROWS_CSV, writeFixtureBundle } from './support/model-bundle-fixture.js';

let directory: string;
const at = (name: string): string => join(directory, name);

beforeAll(async () => {
  await initializeTfBackend();
  directory = await mkdtemp(join(tmpdir(), 'hefl-predict-'));
  (await writeFixtureBundle({ kind: 'logistic-regression' }, at('model'))).model.dispose();
  await writeFile(at('rows.csv'), FIXTURE_ROWS_CSV);
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `hefl ARGS` in this process (support/run-hefl-in-process.ts). */
const hefl = (...args: string[]) => runHeflInProcess(args);

describe('hefl predict', () => {
  it('scores rows without a label column: the id and one probability per row, in file order', async () => {
    const run = await hefl('predict', '--model', at('model'), '--csv', at('rows.csv'), '--id-column', 'customer_id', '--out', at('scores.csv'));
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stdout).toMatch(/scored 6 rows/);
    const [header, ...lines] = (await readFile(at('scores.csv'), 'utf8')).trimEnd().split('\n');
    expect(header).toBe('customer_id,probability');
    expect(lines.map((line) => line.split(',')[0])).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    for (const line of lines) {
      const probability = Number(line.split(',')[1]);
      expect(probability).toBeGreaterThan(0);
      expect(probability).toBeLessThan(1);
    }
  });

  it('accepts a label column that is there, without reading it (empty cells too)', async () => {
    await writeFile(at('labelled.csv'), 'age,balance,flat,job,tier,note,y\n30,100,7,student,1,a,\n40,5,7,retired,2,b,yes\n');
    const run = await hefl('predict', '--model', at('model'), '--csv', at('labelled.csv'), '--out', at('labelled-scores.csv'));
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect((await readFile(at('labelled-scores.csv'), 'utf8')).trimEnd().split('\n')).toHaveLength(3);
  });

  it('stops at a bad cell with file, line and column, and exits 4', async () => {
    await writeFile(at('bad.csv'), 'customer_id,age,balance,flat,job,tier,note\nc1,30,100,7,student,1,a\nc2,41,12k,7,retired,2,b\n');
    const run = await hefl('predict', '--model', at('model'), '--csv', at('bad.csv'), '--id-column', 'customer_id', '--out', at('never.csv'));
    expect(run.code).toBe(EXIT.dataset);
    expect(run.stderr).toContain(`${at('bad.csv')}: line 3, column "balance": "12k" is not a finite number`);
    await expect(readFile(at('never.csv'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses an unknown category and a column outside the schema, naming them', async () => {
    await writeFile(at('unknown.csv'), 'age,balance,flat,job,tier,note\n30,100,7,astronaut,1,a\n');
    const unknown = await hefl('predict', '--model', at('model'), '--csv', at('unknown.csv'), '--out', at('never.csv'));
    expect(unknown.code).toBe(EXIT.dataset);
    expect(unknown.stderr).toContain('line 2, column "job": unknown category "astronaut"');
    const undeclared = await hefl('predict', '--model', at('model'), '--csv', at('rows.csv'), '--out', at('never.csv'));
    expect(undeclared.code).toBe(EXIT.dataset);
    expect(undeclared.stderr).toContain('column "customer_id" is not in the job\'s feature schema');
  });

  it('names a folder that is no model bundle (exit 3) and a missing option (exit 2); --help has an example', async () => {
    const notBundle = await hefl('predict', '--model', directory, '--csv', at('rows.csv'), '--id-column', 'customer_id', '--out', at('never.csv'));
    expect(notBundle.code).toBe(EXIT.config);
    expect(notBundle.stderr).toContain('preprocessing.json: not found');
    const usage = await hefl('predict', '--csv', at('rows.csv'));
    expect(usage.code).toBe(EXIT.usage);
    expect(usage.stderr).toContain('--model is required');
    const help = await hefl('predict', '--help');
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toMatch(/Example:\n\s+hefl predict --model/);
  });
});

describe('hefl export-onnx', () => {
  it('writes the bundle as ONNX, byte for byte the model.onnx the bundle holds', async () => {
    const run = await hefl('export-onnx', '--model', at('model'), '--out', at('exported.onnx'));
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(await readFile(at('exported.onnx'))).toEqual(await readFile(at('model/model.onnx')));
    expect((await hefl('export-onnx', '--help')).stdout).toMatch(/Example:\n\s+hefl export-onnx/);
  });
});
