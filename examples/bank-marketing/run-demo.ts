/**
 * `npm run demo`: the whole HEFL story on one machine. The UCI Bank Marketing data (Moro, Cortez and
 * Rita, "A Data-Driven Approach to Predict the Success of Bank Telemarketing", Decision Support
 * Systems, 2014, doi:10.1016/j.dss.2014.03.001) is split into a held-out test set and three
 * institutions with different clienteles; a coordinator and three participant processes train a
 * model over gRPC on 127.0.0.1 with only CKKS ciphertexts leaving each node; then the federated
 * model is compared with a centralized model trained by the same code on the pooled rows.
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDataset } from '../../participant/data/parse-dataset.js';
import { readCsvTable } from '../../participant/data/read-csv-table.js';
import { formatCsv } from '../../participant/data/write-csv.js';
import { jobSpecSchema } from '../../protocols/job/job-spec.js';
import { initializeTfBackend } from '../../participant/model/initialize-tf-backend.js';
import { launchLocalFederation } from '../local-federation/launch-local-federation.js';
import { bankMarketingDataPath } from './bank-marketing-data.js';
import { bankMarketingFeatures } from './bank-marketing-job.js';
import { evaluateModelBundle } from './evaluate-model-bundle.js';
import { writeTrainingReport } from '../../reporting/write-training-report.js';
import { splitInstitutions } from './split-institutions.js';
import { trainCentralizedBaseline } from './train-centralized-baseline.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'out/bank-marketing-demo' },
    rounds: { type: 'string', default: '20' },
    data: { type: 'string', default: bankMarketingDataPath },
    // Watch the job in a browser while it runs: --dashboard 127.0.0.1:8080
    dashboard: { type: 'string' },
  },
});

const started = performance.now();
const out = resolve(values.out);
const rounds = Number(values.rounds);
await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'data'), { recursive: true });

console.log(`HEFL demo: UCI Bank Marketing (Moro et al., 2014), output folder ${out}`);
const table = await readCsvTable(values.data);
const split = splitInstitutions(table, { testFraction: 0.2, seed: 42 });
const labelColumn = table.header.indexOf('y');
const positiveRate = (rows: string[][]): number => rows.filter((row) => row[labelColumn] === 'yes').length / rows.length;
const files: Record<string, string> = {};
for (const institution of split.institutions) {
  files[institution.id] = join(out, 'data', `${institution.id}.csv`);
  await writeFile(files[institution.id] as string, formatCsv(table.header, institution.rows));
  console.log(
    `  ${institution.id.padEnd(10)} ${String(institution.rows.length).padStart(6)} rows, ${(positiveRate(institution.rows) * 100).toFixed(1)}% positive  (${institution.rule})`,
  );
}
const testFile = join(out, 'data', 'test.csv');
await writeFile(testFile, formatCsv(table.header, split.test));
console.log(`  held-out   ${String(split.test.length).padStart(6)} rows, ${(positiveRate(split.test) * 100).toFixed(1)}% positive  (stratified 20%, evaluated by the bank's node)`);

const job = jobSpecSchema.parse({
  jobId: 'bank-marketing-demo',
  model: { kind: 'logistic-regression' },
  features: bankMarketingFeatures,
  training: { rounds, localEpochs: 1, batchSize: 256, learningRate: 0.003, optimizer: 'adam', seed: 42 },
  federation: { participants: ['bank', 'ecommerce', 'government'], minParticipants: 3, roundDeadlineSeconds: 120 },
});

console.log(`\nFederation: coordinator + 3 participant processes on 127.0.0.1, ${rounds} rounds, CKKS N=${job.ckks.polyModulusDegree}\n`);
const federation = await launchLocalFederation({
  workDirectory: join(out, 'federation'),
  job,
  nodes: split.institutions.map((institution) => ({
    participantId: institution.id,
    dataCsv: files[institution.id] as string,
    ...(institution.id === 'bank' ? { evaluationCsv: testFile } : {}),
  })),
  onCoordinatorLine: (line) => console.log(line),
  ...(values.dashboard ? { coordinatorArgs: ['--dashboard', values.dashboard] } : {}),
});
const failedParticipants = Object.entries(federation.participantExitCodes).filter(([, code]) => code !== 0);
if (federation.coordinatorExitCode !== 0 || failedParticipants.length > 0) {
  console.error(`\nthe federation did not finish: coordinator exit ${federation.coordinatorExitCode}, ` +
    `participants ${JSON.stringify(federation.participantExitCodes)}; logs in ${federation.logDirectory}`);
  process.exit(1);
}

// The bank data team's view: load the model its node produced and score it on the held-out rows.
await initializeTfBackend();
const modelDirectory = join(out, 'model');
await cp(join(federation.outputDirectories.bank as string, 'model'), modelDirectory, { recursive: true });
const testDataset = parseDataset(await readCsvTable(testFile), job.features);
const federated = await evaluateModelBundle(modelDirectory, testDataset);

const pooledRows = split.institutions.flatMap((institution) => institution.rows);
const pooled = parseDataset({ source: 'pooled training rows', header: table.header, rows: pooledRows }, job.features);
console.log('\nCentralized baseline: same model and training code on the pooled training rows...');
const centralized = await trainCentralizedBaseline(job, pooled, testDataset);

const training = federation.report.rounds.filter((round) => round.kind === 'training');
const report = {
  dataset: {
    name: 'UCI Bank Marketing (bank-additional-full)',
    citation: 'S. Moro, P. Cortez and P. Rita. A Data-Driven Approach to Predict the Success of Bank Telemarketing. Decision Support Systems, 2014. doi:10.1016/j.dss.2014.03.001',
    droppedColumns: ['duration'],
    heldOut: { rows: split.test.length, positiveRate: positiveRate(split.test) },
    institutions: split.institutions.map((institution) => ({
      id: institution.id,
      rows: institution.rows.length,
      positiveRate: positiveRate(institution.rows),
      rule: institution.rule,
    })),
  },
  job,
  rounds: federation.report.rounds,
  testAuc: federated.auc,
  centralized: { testAuc: centralized.testAuc, seconds: centralized.seconds },
  aucGap: centralized.testAuc - federated.auc,
  bytesOnTheWire: {
    coordinatorReceived: federation.report.bytesReceived,
    coordinatorSent: federation.report.bytesSent,
  },
  he: { scheme: 'CKKS', ...federation.report.ckks, keyCustody: federation.report.keyCustody },
  modelParameters: federation.report.modelParameters,
  seconds: (performance.now() - started) / 1000,
  model: modelDirectory,
};
await writeTrainingReport(
  out,
  {
    job,
    rounds: federation.report.rounds,
    participants: federation.report.participants,
    finalAuc: federated.auc,
    baselineAuc: centralized.testAuc,
    dataset: 'UCI Bank Marketing (Moro et al., 2014), split into three institutions by job',
    ckksParametersFingerprint: federation.report.ckks.parametersFingerprint,
    generatedAt: new Date().toISOString(),
  },
  report,
);

console.log(`\nFederated model   held-out AUC ${federated.auc.toFixed(4)}  (${training.length} encrypted rounds)`);
console.log(`Centralized model held-out AUC ${centralized.testAuc.toFixed(4)}  (pooled data, same code)`);
console.log(`Gap ${Math.abs(centralized.testAuc - federated.auc).toFixed(4)} AUC; ${(federation.report.bytesReceived / 1024 / 1024).toFixed(2)} MiB received by the coordinator`);
console.log(`\nWrote ${join(out, 'report.json')}, model-card.md, rounds.csv, auc.svg, loss.svg and the model (tfjs model.json + weights.bin) to ${out}`);
console.log(`in ${report.seconds.toFixed(1)} s. Logs: ${federation.logDirectory}`);
