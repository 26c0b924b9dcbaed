/**
 * `npm run demo:vertical`: vertical federated learning on one machine. The UCI Bank Marketing data
 * (Moro, Cortez and Rita, "A Data-Driven Approach to Predict the Success of Bank Telemarketing",
 * Decision Support Systems, 2014, doi:10.1016/j.dss.2014.03.001) is split by columns: the bank holds
 * the client attributes and the label, an e-commerce platform the contact history, a government
 * agency the socio-economic indicators, each with a synthetic customer id and each partner missing
 * 10-20 % of the bank's customers (the bank misses some of theirs). A coordinator and three party
 * processes align the customers by private set intersection and train one logistic regression over
 * gRPC with only blinded ids, CKKS ciphertexts and sealed partial decryptions leaving any node. Then
 * the bank-only model, the same recipe in plaintext and centralized exact logistic regression are
 * computed on the same held-out intersection rows.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { computeAuc } from '../../participant/data/compute-auc.js';
import { readCsvTable } from '../../participant/data/read-csv-table.js';
import { formatCsv } from '../../participant/data/write-csv.js';
import { verticalJobSpecSchema } from '../../protocols/vertical/vertical-job-spec.js';
import { bankMarketingDataPath } from '../bank-marketing/bank-marketing-data.js';
import { launchLocalFederation } from '../local-federation/launch-local-federation.js';
import { bankMarketingVerticalJob } from './bank-marketing-vertical-job.js';
import { splitVerticalParties } from './split-vertical-parties.js';
import { prepareVerticalData, verticalBaselines } from './vertical-baselines.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'out/bank-marketing-vertical' },
    data: { type: 'string', default: bankMarketingDataPath },
    epochs: { type: 'string' },
    custody: { type: 'string', default: 'threshold' },
  },
});
const started = performance.now();
const out = resolve(values.out);
await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'data'), { recursive: true });

console.log(`HEFL vertical demo: UCI Bank Marketing (Moro et al., 2014) split by columns, output folder ${out}`);
const table = await readCsvTable(values.data);
const { tables, missing, newBankCustomers } = splitVerticalParties(table, { seed: 42 });
const files: Record<string, string> = {};
for (const [party, partyTable] of Object.entries(tables)) {
  files[party] = join(out, 'data', `${party}.csv`);
  await writeFile(files[party] as string, formatCsv(partyTable.header, partyTable.rows));
  const columns = partyTable.header.filter((name) => name !== 'customer_id');
  console.log(`  ${party.padEnd(10)} ${String(partyTable.rows.length).padStart(6)} customers (missing ${(missing[party as keyof typeof missing] * 100).toFixed(1)}%), columns: ${columns.join(', ')}`);
}

// The bank's new customers (not in its training file): scored jointly after training, labels kept aside to check.
const labelAt = newBankCustomers.header.indexOf('y');
const scoringCsv = join(out, 'data', 'bank-new-customers.csv');
await writeFile(scoringCsv, formatCsv(newBankCustomers.header.filter((_, index) => index !== labelAt), newBankCustomers.rows.map((row) => row.filter((_, index) => index !== labelAt))));
console.log(`  bank       ${String(newBankCustomers.rows.length).padStart(6)} new customers to score after training (bank-new-customers.csv, no label)`);

const custody = values.custody === 'none' ? { mode: 'none' as const } : { mode: 'threshold' as const };
const job = verticalJobSpecSchema.parse(bankMarketingVerticalJob({ ...(values.epochs ? { training: { epochs: Number(values.epochs) } } : {}), custody, scoring: true }));
console.log(
  `\nFederation: coordinator + 3 party processes on 127.0.0.1; PSI on customer_id (X25519, RFC 9380 hash to curve); ` +
    `${job.training.epochs} epochs of batches of ${job.training.batchSize}, custody ${job.custody.mode}\n`,
);
const federation = await launchLocalFederation({
  workDirectory: join(out, 'federation'),
  job,
  nodes: job.parties.map((party) => ({ participantId: party.id, dataCsv: files[party.id] as string, ...(party.label ? { scoringCsv } : {}) })),
  onCoordinatorLine: (line) => console.log(`  ${line}`),
  allowUnencryptedUpdates: job.custody.mode === 'none',
  timeoutMs: 15 * 60_000,
});
const { report } = federation;
const failed = Object.entries(federation.participantExitCodes).filter(([, code]) => code !== 0);
if (report.status !== 'finished' || federation.coordinatorExitCode !== 0 || failed.length > 0) {
  console.error(`the vertical job failed (${report.reason ?? 'see the logs'}); logs in ${federation.logDirectory}`);
  process.exit(1);
}
const bankOutput = federation.outputDirectories.bank as string;
const commonOrder = (await readFile(join(bankOutput, 'common-order-ids.txt'), 'utf8')).trim().split('\n');
console.log(`\nPrivate set intersection: ${report.intersectionSize} customers are at all three parties (each party learned only which of its own rows, in a common order)`);
for (const [party, partyTable] of Object.entries(tables)) {
  const share = ((report.intersectionSize ?? 0) / partyTable.rows.length) * 100;
  console.log(`  ${party.padEnd(10)} ${String(partyTable.rows.length).padStart(6)} own customers -> ${report.intersectionSize} aligned (${share.toFixed(1)}%)`);
}

// The same rows, in the same common order, so the same split and batches: the plaintext comparisons.
const data = prepareVerticalData(tables, job.training, (sortedIds) => {
  const position = new Map(sortedIds.map((id, index) => [id, index]));
  return Int32Array.from(commonOrder, (id) => position.get(id) as number);
});
const baselines = verticalBaselines(data, job.training);
// The scores the bank received for its new customers, against their true labels (known to the demo only).
const scored = (await readFile(join(bankOutput, 'scores.csv'), 'utf8')).trim().split('\n').slice(1).map((line) => line.split(','));
const truth = new Map(newBankCustomers.rows.map((row) => [row[0] as string, row[labelAt] === 'yes' ? 1 : 0]));
const scoringAuc = computeAuc(scored.map(([, probability]) => Number(probability)), scored.map(([id]) => truth.get(id as string) as number));
const federatedAuc = report.epochs.at(-1)?.validationAuc ?? Number.NaN;
const summary = {
  intersectionSize: report.intersectionSize,
  validationRows: baselines.validationRows,
  bankOnlyAuc: baselines.bankOnlyAuc,
  verticalFederatedAuc: federatedAuc,
  sameRecipeInPlaintextAuc: baselines.taylorAuc,
  centralizedExactAuc: baselines.centralizedAuc,
  newCustomersScored: scored.length,
  newCustomersScoringAuc: scoringAuc,
  epochs: report.epochs,
  bytesReceivedByCoordinator: report.bytesReceived,
  bytesSentByCoordinator: report.bytesSent,
  custody: job.custody.mode,
  seconds: (performance.now() - started) / 1000,
};
await mkdir(join(out, 'report'), { recursive: true });
await writeFile(join(out, 'report', 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
await writeFile(join(out, 'report', 'coordinator-report.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nHeld-out intersection rows (${baselines.validationRows}), validation AUC:`);
console.log(`  bank alone (exact logistic regression, its own columns)   ${baselines.bankOnlyAuc.toFixed(4)}`);
console.log(`  vertical federated (encrypted, this run)                  ${federatedAuc.toFixed(4)}`);
console.log(`  the same recipe in plaintext (same rows, batches, order)  ${baselines.taylorAuc.toFixed(4)}`);
console.log(`  centralized exact logistic regression (pooled columns)    ${baselines.centralizedAuc.toFixed(4)}`);
console.log(`\nScoring after training: ${scored.length} of the bank's ${newBankCustomers.rows.length} new customers are known to both partners; the bank alone received their scores (AUC against their true labels ${scoringAuc.toFixed(4)})`);
console.log(`\nReport: ${join(out, 'report')}; ledgers: ${join(out, 'federation', 'outputs', '<party>', 'egress.jsonl')} (check with hefl audit verify)`);
console.log(`Done in ${summary.seconds.toFixed(0)} s.`);
