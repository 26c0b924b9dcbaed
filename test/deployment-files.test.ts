import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHefl } from './support/run-hefl.js';
import { runHeflInProcess as runHefl } from './support/run-hefl-in-process.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { initFederationKeys } from '../protocols/keys/init-federation-keys.js';
import { scaledMs } from './support/time-scale.js';

// Issue #18: the systemd units in deploy/systemd are what a partner's IT team installs; they must be
// valid units and their command lines must be ones this HEFL accepts.

const UNITS = join(import.meta.dirname, '..', 'deploy', 'systemd');
const units = ['hefl-coordinator.service', 'hefl-participant@.service'];

/** The `hefl …` arguments of a unit's ExecStart, with line continuations joined. */
function execStartArguments(unit: string): string[] {
  const text = readFileSync(join(UNITS, unit), 'utf8').replace(/\\\n\s*/g, '');
  const line = /^ExecStart=\/usr\/bin\/env hefl (.+)$/m.exec(text)?.[1];
  if (line === undefined) throw new Error(`${unit} has no "ExecStart=/usr/bin/env hefl …" line`);
  return line.split(/\s+/).map((argument) => argument.replace('%i', 'bank'));
}

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });

describe('deploy/systemd units', () => {
  it.skipIf(analyze.status !== 0)('pass systemd-analyze verify without a warning', () => {
    const directory = mkdtempSync(join(tmpdir(), 'hefl-units-'));
    try {
      for (const unit of units) {
        // A template unit is verified as one of its instances.
        const copy = join(directory, unit.replace('@.', '@bank.'));
        copyFileSync(join(UNITS, unit), copy);
        const verified = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
        expect([unit, verified.status, verified.stderr.trim()]).toEqual([unit, 0, '']);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('run command lines whose every option this hefl knows (exit 0 with --help, 2 for a misspelt one)', async () => {
    for (const unit of units) {
      const args = execStartArguments(unit);
      const checked = await runHefl([...args, '--help']);
      expect(checked.code, `${unit}: ${checked.stderr}`).toBe(0);
    }
    const misspelt = await runHefl(['coordinator', '--job', 'job.yaml', '--resume', 'auto', '--hots', '0.0.0.0', '--help']);
    expect(misspelt.code).toBe(2);
  }, scaledMs(60_000));

  it('a participant started with --health answers /healthz at once and /readyz "not ready" until it is in its job', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'hefl-probe-'));
    const job = jobSpecSchema.parse({
      jobId: 'probe',
      model: { kind: 'logistic-regression' },
      features: { numeric: ['a'], label: { column: 'y', positive: 1, negative: 0 } },
      training: { rounds: 1 },
      federation: { participants: ['bank', 'shop'], minParticipants: 2 },
    });
    const keys = await initFederationKeys(job, join(directory, 'keys'));
    writeFileSync(join(directory, 'bank.csv'), 'a,y\n1,1\n2,0\n');
    // A coordinator address where nothing listens: the node keeps trying to connect.
    const config = { participantId: 'bank', jobId: 'probe', coordinator: '127.0.0.1:9', dataCsv: 'bank.csv', keysDir: keys.participants.bank, outputDir: 'out', connectTimeoutSeconds: 600 };
    writeFileSync(join(directory, 'bank.json'), JSON.stringify(config));
    const started = startHefl(['participant', '--config', join(directory, 'bank.json'), '--health', '127.0.0.1:0', '--log-format', 'json']);
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let buffered = '';
        started.child.stderr?.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const found = /"address":"(127\.0\.0\.1:\d+)"[^\n]*health probes listening/.exec(buffered);
          if (found) resolve(found[1] as string);
        });
        void started.done.then((run) => reject(new Error(`the participant exited first (${run.code}): ${run.stderr}`)));
      });
      const healthz = await fetch(`http://${address}/healthz`);
      expect([healthz.status, await healthz.text()]).toEqual([200, 'ok\n']);
      const readyz = await fetch(`http://${address}/readyz`);
      expect([readyz.status, await readyz.text()]).toEqual([503, 'not ready: connecting\n']);
    } finally {
      started.child.kill('SIGKILL');
      await started.done;
      rmSync(directory, { recursive: true, force: true });
    }
  }, scaledMs(60_000));
});
