import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledMs } from './support/time-scale.js';

// Issue #18: the package as a partner installs it — packed, installed into an empty folder, run with
// plain node (no tsx), imported from JavaScript, type-checked from TypeScript — and refused at once on
// a Node.js older than 22.12.

const ROOT = join(import.meta.dirname, '..');
const NOT_COPIED = new Set(['node_modules', '.git', '.tools', 'dist', 'out']);

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (no wall-clock guess: vitest's timeout is the only limit). */
function run(command: string, args: readonly string[], cwd: string, node = process.execPath): Promise<Ran> {
  return new Promise((resolve, reject) => {
    // Node 22 first on PATH for npm and the package's bin (`#!/usr/bin/env node`), unless told otherwise.
    const env = { ...process.env, PATH: `${join(node, '..')}${delimiter}${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false' };
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A Node.js older than 22.12 on this machine (Debian's, say), or undefined. */
function olderNode(): string | undefined {
  const found = spawnSync('which', ['-a', 'node'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const candidate of [...found, '/usr/bin/node']) {
    if (!existsSync(candidate)) continue;
    const version = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    const [major = 0, minor = 0] = version.split('.').map(Number);
    if (version !== '' && (major < 22 || (major === 22 && minor < 12))) return candidate;
  }
  return undefined;
}

/** An empty project of a partner: a JavaScript and a TypeScript file that use the package. */
function writeConsumer(directory: string): void {
  mkdirSync(directory);
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'partner-service', private: true, type: 'module' }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], skipLibCheck: true },
      include: ['*.ts'],
    }),
    'consume.mjs': [
      "const core = await import('hefl');",
      "const { Coordinator } = await import('hefl/coordinator');",
      "const { Participant } = await import('hefl/participant');",
      "const job = core.jobSpecSchema.parse({ jobId: 'j', model: { kind: 'logistic-regression' }, features: { numeric: ['a'], label: { column: 'y', positive: 1, negative: 0 } }, training: { rounds: 3 }, federation: { participants: ['a', 'b'], minParticipants: 2 } });",
      "const refused = !core.jobSpecSchema.safeParse({ jobId: 'j' }).success;",
      // node-seal's wasm loads from the installed package: a CKKS round trip.
      'const parameters = { polyModulusDegree: 8192, coeffModulusBits: [40, 40, 60], scaleBits: 40 };',
      'const keys = (await core.CkksSession.create(parameters)).generateKeyPair();',
      'const session = await core.CkksSession.create(parameters, keys);',
      'const decrypted = session.decryptVector(session.encryptVector([1.5, -2.25, 3]), 3);',
      'const ckksRoundTrip = Array.from(decrypted, (value) => Math.round(value * 1e4) / 1e4);',
      'console.log(JSON.stringify({ jobSpecSchema: typeof core.jobSpecSchema, Coordinator: typeof Coordinator, Participant: typeof Participant, rounds: job.training.rounds, refused, ckksRoundTrip }));',
      'process.exit(0);',
    ].join('\n'),
    'consumer.ts': [
      "import { jobSpecSchema, type JobSpec } from 'hefl';",
      "import { Coordinator, type JobReport } from 'hefl/coordinator';",
      "import { Participant, type ParticipantOptions } from 'hefl/participant';",
      "const job: JobSpec = jobSpecSchema.parse({ jobId: 'j', model: { kind: 'logistic-regression' }, features: { numeric: ['a'], label: { column: 'y', positive: 1, negative: 0 } }, federation: { participants: ['a', 'b'], minParticipants: 2 } });",
      'const rounds: number = job.training.rounds;',
      "export type Report = JobReport['status'];",
      "export type Options = ParticipantOptions['participantId'];",
      'export { rounds, Coordinator, Participant };',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), `${text}\n`);
}

let work: string;
let consumer: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hefl-package-'));
  // Pack from a copy, so the build's dist/ never appears in the checkout under test.
  const stage = join(work, 'stage');
  cpSync(ROOT, stage, { recursive: true, filter: (source) => !NOT_COPIED.has(source.slice(ROOT.length + 1).split('/')[0] ?? '') });
  symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'));
  const packed = await run('npm', ['pack', '--silent', '--pack-destination', work], stage);
  expect(packed.code, packed.stderr).toBe(0);
  const name = readdirSync(work).find((entry) => entry.endsWith('.tgz'));
  expect(name).toBeDefined();
  tarball = join(work, name as string);

  consumer = join(work, 'consumer');
  writeConsumer(consumer);
  // From npm's cache when CI's `npm ci` filled it; the registry otherwise.
  const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, '@types/node@22'], consumer);
  expect(installed.code, installed.stderr).toBe(0);
}, scaledMs(300_000));

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package, installed into an empty folder', () => {
  it('ships compiled JavaScript, declarations, LICENSE, SECURITY.md, DEPLOYMENT.md and the systemd units, and no tests or TypeScript sources', async () => {
    const listing = await run('tar', ['-tzf', tarball], work);
    const files = listing.stdout.split('\n').filter(Boolean).map((entry) => entry.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'SECURITY.md', 'DEPLOYMENT.md', 'deploy/systemd/hefl-coordinator.service', 'README.md', 'package.json', 'bin/hefl.js', 'dist/cli/hefl.js', 'dist/protocols/index.d.ts', 'dist/proto/federation.proto', 'dist/proto/onnx-subset.proto']));
    expect(files.filter((file) => /\.test\.|^test\/|^bench\//.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });

  it('runs `hefl --help` and `hefl check` with plain node, and says where the bench lives', async () => {
    const help = await run(join(consumer, 'node_modules', '.bin', 'hefl'), ['--help'], consumer);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: hefl <command> [options]');
    // A command that reads files: a job with a missing-value policy against a CSV with a gap and a bad cell.
    writeFileSync(join(consumer, 'job.yaml'), 'jobId: j\nmodel: { kind: logistic-regression }\nfeatures:\n  numeric: [a]\n  label: { column: y, positive: 1, negative: 0 }\n  missing: { columns: { a: { fill: mean } } }\ntraining: { rounds: 2 }\nfederation: { participants: [x, z], minParticipants: 2 }\n');
    writeFileSync(join(consumer, 'x.csv'), 'a,y\n1.5,1\n,0\nabc,1.0\n');
    const check = await run(join(consumer, 'node_modules', '.bin', 'hefl'), ['check', '--job', 'job.yaml', '--csv', 'x.csv'], consumer);
    expect(check.code).toBe(4);
    expect(check.stdout + check.stderr).toContain('line 4, column "a": "abc" is not a finite number');
    expect(check.stdout + check.stderr).toContain('1 missing (1 filled by the job\'s policy), 1 invalid');
    const bench = await run(join(consumer, 'node_modules', '.bin', 'hefl'), ['bench'], consumer);
    expect(bench.code).toBe(2);
    expect(bench.stderr).toContain('the bench runs from a source checkout of HEFL');
  });

  it('imports every entry point from plain JavaScript: a job schema check and a CKKS round trip', async () => {
    const imported = await run(process.execPath, ['consume.mjs'], consumer);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({ jobSpecSchema: 'object', Coordinator: 'function', Participant: 'function', rounds: 3, refused: true, ckksRoundTrip: [1.5, -2.25, 3] });
  });

  it('type-checks a TypeScript consumer against the shipped declarations (and its deliberate mistake fails)', async () => {
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const checked = await run(tsc, ['-p', 'tsconfig.json'], consumer);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    writeFileSync(join(consumer, 'wrong.ts'), "import { jobSpecSchema } from 'hefl';\nconst rounds: string = jobSpecSchema.parse({}).training.rounds;\nexport { rounds };\n");
    const wrong = await run(tsc, ['-p', 'tsconfig.json'], consumer);
    rmSync(join(consumer, 'wrong.ts'));
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts.*Type 'number' is not assignable to type 'string'/);
  });

  const older = olderNode();
  it.skipIf(older === undefined)(`on a Node.js older than 22.12 (${older ?? 'none on this machine: skipped'}), the command and the library fail at once with one line`, async () => {
    const node = older as string;
    const help = await run(node, [join(consumer, 'node_modules', 'hefl', 'bin', 'hefl.js'), '--help'], consumer, node);
    expect(help.code).toBe(2);
    expect(help.stderr.trim().split('\n')).toHaveLength(1);
    expect(help.stderr).toMatch(/^HEFL needs Node\.js 22\.12 or newer; this is v\d+\.\d+\.\d+\. Install Node\.js 22\.12\+/);
    const library = await run(node, ['--input-type=module', '-e', "import('hefl').then(() => process.exit(0), (error) => { console.error(error.message); process.exit(3); })"], consumer, node);
    expect(library.code).toBe(3);
    expect(library.stderr.trim()).toMatch(/^HEFL needs Node\.js 22\.12\.0 or newer; this is v\d+/);
  });
});
