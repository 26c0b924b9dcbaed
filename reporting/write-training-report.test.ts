import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { softwareVersions } from '../protocols/wire/software-versions.js';
import { PROTOCOL_VERSION } from '../protocols/wire/federation-messages.js';
import { writeTrainingReport } from './write-training-report.js';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('writeTrainingReport', () => {
  it('writes report.json, a model card with schema, participants, rounds, custody and versions, rounds.csv and two charts', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hefl-report-'));
    directories.push(directory);
    const job = jobSpecSchema.parse({
      jobId: 'card',
      model: { kind: 'logistic-regression' },
      features: { numeric: ['age'], categorical: [{ name: 'job', categories: ['a', 'b'] }], label: { column: 'y', positive: 'yes', negative: 'no' }, ignored: ['duration'] },
      training: { rounds: 2 },
      federation: { participants: ['bank', 'shop'], minParticipants: 2 },
    });
    const round = (number: number, auc: number) => ({ round: number, kind: 'training' as const, contributors: ['bank', 'shop'], meanLocalLoss: 0.3, heldOutAuc: auc, bytesReceived: 1000, seconds: 0.5 });
    await writeTrainingReport(
      directory,
      {
        job,
        rounds: [{ ...round(0, 0), kind: 'statistics', heldOutAuc: null, meanLocalLoss: null }, round(1, 0.71), round(2, 0.7712)],
        participants: [{ id: 'bank', sampleCount: 100 }, { id: 'shop', sampleCount: 50 }],
        finalAuc: 0.7712,
        baselineAuc: 0.78,
        ckksParametersFingerprint: 'f'.repeat(64),
        generatedAt: '2026-11-22T00:00:00Z',
        versions: softwareVersions(),
      },
      { any: 'json' },
    );
    expect((await readdir(directory)).sort()).toEqual(['auc.svg', 'loss.svg', 'model-card.md', 'report.json', 'rounds.csv']);
    // One line per round, statistics round 0 included; a value the round has none of is empty.
    expect(await readFile(join(directory, 'rounds.csv'), 'utf8')).toBe(
      [
        'round,kind,participants,mean_local_loss,held_out_auc,bytes_received,seconds',
        '0,statistics,2,,,1000,0.5',
        '1,training,2,0.3,0.71,1000,0.5',
        '2,training,2,0.3,0.7712,1000,0.5',
        '',
      ].join('\n'),
    );
    const card = await readFile(join(directory, 'model-card.md'), 'utf8');
    expect(card).toContain('**0.7712**');
    expect(card).toContain('| bank | 100 |');
    expect(card).toContain('| 2 | 2 | 0.3000 | 0.7712 | 1000 | 0.50 |');
    expect(card).toContain('`duration`');
    expect(card).toContain('coefficient table, `coefficients.md`');
    expect(card).toMatch(/N-of-N threshold CKKS/);
    const heflVersion = (JSON.parse(await readFile(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
    expect(card).toContain(`HEFL ${heflVersion}, wire protocol ${PROTOCOL_VERSION}, Node ${process.versions.node}`);
    expect(card).toMatch(/node-seal \d+\.\d+\.\d+, tfjs \d+\.\d+\.\d+/);
    expect(await readFile(join(directory, 'auc.svg'), 'utf8')).toContain('centralized baseline');
  });

  it('the model card states DP-SGD: mechanism, C, z, q, steps and ε per institution, and that round-0 statistics are not covered', async () => {
    const { renderModelCard } = await import('./render-model-card.js');
    const job = jobSpecSchema.parse({
      jobId: 'dp-card',
      model: { kind: 'logistic-regression' },
      features: { numeric: ['age'], label: { column: 'y', positive: 'yes', negative: 'no' } },
      training: { rounds: 20, batchSize: 256, differentialPrivacy: { noiseMultiplier: 1.5, clipNorm: 1 } },
      federation: { participants: ['bank', 'shop', 'gov'], minParticipants: 3 },
    });
    const card = renderModelCard({
      job,
      rounds: [],
      participants: [{ id: 'bank', sampleCount: null }, { id: 'shop', sampleCount: 10_260 }, { id: 'gov', sampleCount: null }],
      privacyByParticipant: { bank: { epsilon: 2.4836, delta: 1e-5, noiseMultiplier: 1.5, sampleRate: 0.02495, steps: 820 } },
      finalAuc: null,
      ckksParametersFingerprint: 'f'.repeat(64),
      generatedAt: '2026-12-03T00:00:00Z',
    });
    expect(card).toContain('**Differential privacy: record-level DP-SGD**');
    expect(card).toContain('C = 1');
    expect(card).toContain('z = 1.5');
    expect(card).toContain('| bank | 1.5000 | 0.02495 | 820 | **2.484** | 0.00001 | reported by the node |');
    expect(card).toMatch(/\| shop \| 1\.5 \| 0\.02495 \| 820 \| 2\.48\d \| 0\.00001 \| computed from its row count/);
    expect(card).toContain('| gov | 1.5 | 256/rows | - | - | - | in its signed ledger');
    expect(card).toMatch(/Not covered by ε\*\*: the round-0 standardization statistics/);
    expect(card).not.toContain('No differential privacy was applied');
  });

  it.each([
    ['distributed', /record-level, distributed noise\*\* \(FedSGD/, /\| shop \| 1\.5 \| 0\.02495 \| 20 \| 0\.\d{3} \| \d+\.\d{3} \| 0\.00001 \| computed from its row count/],
    ['client-level', /client-level DP-FedAvg\*\*.*meaningful only for federations of many participants/, /\| shop \| 1\.5 \| 1\.00000 \| 20 \| \d+\.\d{3} \| \d+\.\d{3} \| 0\.00001 \| computed from the job/],
  ] as const)('the model card of %s noise states the split and ε without and with collusion', async (mechanism, line, row) => {
    const { renderModelCard } = await import('./render-model-card.js');
    const job = jobSpecSchema.parse({
      jobId: 'dp-card',
      model: { kind: 'logistic-regression' },
      features: { numeric: ['age'], label: { column: 'y', positive: 'yes', negative: 'no' } },
      training: { rounds: 20, batchSize: 256, differentialPrivacy: { mechanism, noiseMultiplier: 1.5, clipNorm: 1 } },
      federation: { participants: ['bank', 'shop', 'gov'], minParticipants: 3 },
    });
    const card = renderModelCard({
      job,
      rounds: [],
      participants: [{ id: 'bank', sampleCount: null }, { id: 'shop', sampleCount: 10_260 }],
      privacyByParticipant: { bank: { epsilon: 0.5, delta: 1e-5, noiseMultiplier: 1.5, sampleRate: 0.02495, steps: 20, epsilonIfOthersCollude: 1.25 } },
      finalAuc: null,
      ckksParametersFingerprint: 'f'.repeat(64),
      generatedAt: '2026-12-03T00:00:00Z',
    });
    expect(card).toMatch(line);
    expect(card).toContain('std z·C/√3');
    expect(card).toContain('| participant | z | q | steps | ε (no collusion) | ε (all others collude) | δ | source |');
    expect(card).toContain('| bank | 1.5000 | 0.02495 | 20 | **0.500** | 1.250 | 0.00001 | reported by the node |');
    expect(card).toMatch(row);
  });
});
