import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankMarketingDataAvailable } from '../examples/bank-marketing/bank-marketing-data.js';
import { EXIT } from '../cli/exit-codes.js';
import { initFederationKeys, type InitializedKeyFolders } from '../protocols/keys/init-federation-keys.js';
import { bankJob, writeBankSlices, type BankSlices } from './support/bank-slices.js';
import { hasStackTrace, runHefl, startHefl, waitForReadyFile } from './support/run-hefl.js';
import { scaledMs, scaledSeconds } from './support/time-scale.js';

const job = bankJob({ jobId: 'bad-input', custody: { mode: 'single-key' }, federation: { participants: ['bank', 'ecommerce', 'government'], minParticipants: 3, roundDeadlineSeconds: scaledSeconds(30), joinDeadlineSeconds: scaledSeconds(30) } });
let directory: string;
let jobFile: string;
let keys: InitializedKeyFolders;
let slices: BankSlices;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'hefl-bad-input-'));
  jobFile = join(directory, 'job.json');
  await writeFile(jobFile, JSON.stringify(job));
  keys = await initFederationKeys(job, join(directory, 'keys'));
  if (bankMarketingDataAvailable) slices = await writeBankSlices(join(directory, 'data'), 200, 100);
}, scaledMs(60_000));

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

async function participantConfig(name: string, fields: Record<string, unknown>): Promise<string> {
  const file = join(directory, `${name}.json`);
  await writeFile(
    file,
    JSON.stringify({ participantId: 'bank', jobId: job.jobId, coordinator: '127.0.0.1:1', dataCsv: 'missing.csv', keysDir: keys.participants.bank, outputDir: join(directory, `out-${name}`), connectTimeoutSeconds: 3, ...fields }),
  );
  return file;
}

describe('bad input gets one clear error and a non-zero exit, never a stack dump', () => {
  it('a job file with a wrong field names the file and the field path', async () => {
    const broken = join(directory, 'broken-job.json');
    await writeFile(broken, JSON.stringify({ ...job, training: { ...job.training, rounds: 0 } }));
    const run = await runHefl(['coordinator', '--job', broken, '--keys', keys.coordinator, '--port', '0']);
    expect(run.code).toBe(EXIT.config);
    expect(run.stderr).toContain(`${broken}: training.rounds`);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('a job file that is not JSON says so', async () => {
    const broken = join(directory, 'not-json.json');
    await writeFile(broken, '{ "jobId": ');
    const run = await runHefl(['coordinator', '--job', broken, '--keys', keys.coordinator]);
    expect(run.code).toBe(EXIT.config);
    expect(run.stderr).toMatch(/not-json\.json is not valid JSON/);
  });

  it('the coordinator refuses to start with a secret key in its key folder', async () => {
    await initFederationKeys(job, join(directory, 'leaky'));
    await copyFile(join(directory, 'leaky', 'bank', 'secret.key'), join(directory, 'leaky', 'coordinator', 'secret.key'));
    const run = await runHefl(['coordinator', '--job', jobFile, '--keys', join(directory, 'leaky', 'coordinator'), '--port', '0']);
    expect(run.code).toBe(EXIT.keyCustody);
    expect(run.stderr).toMatch(/secret key material/);
    expect(hasStackTrace(run.stderr)).toBe(false);
    // Threshold custody: a participant's identity key in the coordinator's folder is refused too.
    const thresholdJob = bankJob({ jobId: 'bad-input' });
    const thresholdJobFile = join(directory, 'threshold-job.json');
    await writeFile(thresholdJobFile, JSON.stringify(thresholdJob));
    await initFederationKeys(thresholdJob, join(directory, 'leaky-threshold'));
    await copyFile(join(directory, 'leaky-threshold', 'bank', 'identity.key'), join(directory, 'leaky-threshold', 'coordinator', 'identity.key'));
    const second = await runHefl(['coordinator', '--job', thresholdJobFile, '--keys', join(directory, 'leaky-threshold', 'coordinator'), '--port', '0']);
    expect(second.code).toBe(EXIT.keyCustody);
    expect(second.stderr).toMatch(/secret key material/);
  });

  it('a wrong coordinator address fails fast with the address in the message', async () => {
    const config = await participantConfig('unreachable', { coordinator: '127.0.0.1:1' });
    const run = await runHefl(['participant', '--config', config], scaledMs(30_000));
    expect(run.code).toBe(EXIT.unreachable);
    expect(run.stderr).toContain('127.0.0.1:1');
    const malformed = await participantConfig('malformed-address', { coordinator: 'not an address' });
    const second = await runHefl(['participant', '--config', malformed]);
    expect(second.code).toBe(EXIT.config);
    expect(second.stderr).toMatch(/coordinator: host:port/);
  });

  it('an unknown command and a missing option print usage with exit 2', async () => {
    expect((await runHefl(['coordinate'])).code).toBe(EXIT.usage);
    const missing = await runHefl(['coordinator', '--job', jobFile]);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toContain('Usage: hefl coordinator');
  });

  describe.skipIf(!bankMarketingDataAvailable)('against a running coordinator', () => {
    it('a CSV missing a column, an unknown category, or a label outside the declared values names file, line and column', async () => {
      const coordinator = startHefl(['coordinator', '--job', jobFile, '--keys', keys.coordinator, '--port', '0', '--ready-file', join(directory, 'ready')], scaledMs(90_000));
      try {
        const address = await waitForReadyFile(join(directory, 'ready'), coordinator);
        expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
        const text = await readFile(slices.files.bank, 'utf8');
        const [header = '', ...lines] = text.trimEnd().split('\n');

        const noAge = join(directory, 'no-age.csv');
        await writeFile(noAge, [header.slice(header.indexOf(';') + 1), ...lines.map((line) => line.slice(line.indexOf(';') + 1))].join('\n'));
        const unknownCategory = join(directory, 'unknown-category.csv');
        const withCell = (line: string, index: number, value: string): string => {
          const cells = line.split(';');
          cells[index < 0 ? cells.length + index : index] = value;
          return cells.join(';');
        };
        await writeFile(unknownCategory, [header, lines[0], withCell(lines[1] ?? '', 1, 'astronaut')].join('\n'));
        const badLabel = join(directory, 'bad-label.csv');
        await writeFile(badLabel, [header, lines[0], lines[1], withCell(lines[2] ?? '', -1, 'maybe')].join('\n'));

        const cases: [string, RegExp][] = [
          [noAge, /no-age\.csv.*"age"/],
          [unknownCategory, /unknown-category\.csv: line 3.*"job".*astronaut/],
          [badLabel, /bad-label\.csv: line 4.*maybe/],
        ];
        for (const [csv, message] of cases) {
          const config = await participantConfig(`csv-${cases.findIndex(([file]) => file === csv)}`, { coordinator: address, dataCsv: csv });
          const run = await runHefl(['participant', '--config', config]);
          expect(run.code, run.stderr).toBe(EXIT.dataset);
          expect(run.stderr).toMatch(message);
          expect(hasStackTrace(run.stderr)).toBe(false);
        }
        expect(coordinator.child.exitCode).toBeNull(); // participants that leave do not crash the coordinator
      } finally {
        coordinator.child.kill('SIGTERM');
        await coordinator.done;
      }
    }, scaledMs(90_000));
  });
});
