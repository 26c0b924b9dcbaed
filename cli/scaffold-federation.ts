import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bankMarketingFeatures } from '../examples/bank-marketing/bank-marketing-job.js';
import { ConfigError } from '../protocols/errors.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { parseConfigText } from '../protocols/job/read-config-file.js';
import { participantConfigSchema } from '../participant/participant-config.js';
import { readCsvTable } from '../participant/data/read-csv-table.js';
import { formatCsv } from '../participant/data/write-csv.js';
import { splitInstitutions } from '../examples/bank-marketing/split-institutions.js';

export const SCENARIOS = ['bank-marketing'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const PARTICIPANTS = ['bank', 'ecommerce', 'government'];

function yamlList(values: readonly string[], indent: string): string {
  return values.map((value) => `${indent}- ${JSON.stringify(value)}`).join('\n');
}

/** The job file of a scenario, as commented YAML a data team edits rather than writes. */
function jobYaml(scenario: Scenario, jobId: string): string {
  const features = bankMarketingFeatures;
  return `# HEFL job file (${scenario}). The coordinator reads it; participants receive it when they join.
# Validate it with: hefl keys init --job job.yaml --out keys   (errors name the field)
jobId: ${jobId}

# The model every participant trains: logistic regression, or
#   { kind: sequential, hiddenLayers: [{ type: dense, units: 16, activation: relu }] }
model:
  kind: logistic-regression

# The columns every participant's CSV must have. Categorical columns list every category (one-hot in
# this order); "ignored" columns may be present but are never used (duration leaks the label).
features:
  numeric:
${yamlList(features.numeric, '    ')}
  categorical:
${features.categorical.map((column) => `    - name: ${JSON.stringify(column.name)}\n      categories: [${column.categories.map((category) => JSON.stringify(category)).join(', ')}]`).join('\n')}
  label: { column: ${JSON.stringify(features.label.column)}, positive: ${JSON.stringify(features.label.positive)}, negative: ${JSON.stringify(features.label.negative)} }
  ignored: [${features.ignored.map((name) => JSON.stringify(name)).join(', ')}]
  # Missing cells are an error unless a column has a policy, e.g.
  # missing:
  #   markers: ["", "NA"]
  #   columns:
  #     pdays: { fill: mean, indicator: true }     # federated mean of present cells (or a number)
  #     job: { fill: missing-category }            # own one-hot slot (or a declared category)

training:
  rounds: 20            # federated rounds after the statistics round
  localEpochs: 1        # passes over local data per round
  batchSize: 256
  learningRate: 0.003
  optimizer: adam       # or sgd
  seed: 42              # initial model and shuffling: same seed, same run
  clipNorm: 0           # L2 bound on each participant's update; 0 = off
  # serverOptimizer: { kind: fedadam, learningRate: 0.01 }  # or fedavgm, fedyogi, fedadagrad; absent = FedAvg
  # fedProx: { mu: 0.01 }                # proximal term in local training; absent = off
  # stopAfterRoundsWithoutImprovement: 3  # end early when the federated AUC stops improving

federation:
  participants: [${PARTICIPANTS.join(', ')}]
  minParticipants: 3    # quorum per round
  roundDeadlineSeconds: 300
  joinDeadlineSeconds: 600

# N-of-N threshold CKKS: no single party can decrypt an individual update (see README).
custody:
  mode: threshold
  verifyAggregate: true # participants re-sum the signed contributions before decrypting
  smudgingSigmaBits: 40
  # threshold: 2        # t-of-N: any t participants decrypt together, rounds survive absent nodes,
  #                     # and any t colluding participants could decrypt an update (bound t - 1).
  #                     # Omitted: every participant (N-of-N).
`;
}

function nodeYaml(jobId: string, participantId: string, withHoldout: boolean): string {
  return `# HEFL participant node "${participantId}". Paths are relative to this file.
participantId: ${participantId}
jobId: ${jobId}
coordinator: 127.0.0.1:7700        # host:port of the coordinator
dataCsv: ../data/${participantId}.csv   # your training rows; they never leave this node
${withHoldout ? '' : '# '}evaluationCsv: ../data/holdout.csv   # optional: report each global model's AUC on it
keysDir: ../keys/${participantId}       # from \`hefl keys init\`
outputDir: ../outputs/${participantId}  # final model, egress log, secret key share
`;
}

/**
 * `hefl init`: a federation folder with a commented job file, one node config per participant and a
 * short guide, so a newcomer edits rather than writes them. Both files are validated before writing.
 */
export async function scaffoldFederation(scenario: Scenario, directory: string, options: { dataset?: string } = {}): Promise<string[]> {
  const jobId = `${scenario}-job`;
  const job = jobYaml(scenario, jobId);
  parseConfigText(job, 'job.yaml', jobSpecSchema);
  await mkdir(join(directory, 'nodes'), { recursive: true });
  await mkdir(join(directory, 'data'), { recursive: true });
  const written = [join(directory, 'job.yaml')];
  await writeFile(written[0] as string, job, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new ConfigError(`${written[0]} already exists; choose an empty folder`);
    throw error;
  });
  // With the UCI file at hand, each institution gets its slice (non-IID by job) and the bank a holdout.
  if (options.dataset) {
    const table = await readCsvTable(options.dataset);
    const split = splitInstitutions(table, { testFraction: 0.2, seed: 42 });
    for (const institution of split.institutions) {
      const path = join(directory, 'data', `${institution.id}.csv`);
      await writeFile(path, formatCsv(table.header, institution.rows));
      written.push(path);
    }
    const holdout = join(directory, 'data', 'holdout.csv');
    await writeFile(holdout, formatCsv(table.header, split.test));
    written.push(holdout);
  }
  for (const participantId of PARTICIPANTS) {
    const text = nodeYaml(jobId, participantId, options.dataset !== undefined && participantId === 'bank');
    parseConfigText(text, `${participantId}.yaml`, participantConfigSchema);
    const path = join(directory, 'nodes', `${participantId}.yaml`);
    await writeFile(path, text);
    written.push(path);
  }
  const guide = join(directory, 'NEXT-STEPS.md');
  await writeFile(
    guide,
    `# Next steps

Run these from this folder (\`npx hefl\` inside the HEFL checkout, or \`hefl\` when installed).

1. ${options.dataset ? 'The CSVs are in `data/` (one slice per institution, and `holdout.csv` for the bank\'s evaluation).' : 'Put each institution\'s CSV at `data/<participant>.csv` (or run `hefl init` again with `--dataset FILE`).'}
   Check each node's data against \`job.yaml\` offline (every problem with line and column, and a summary):
   \`hefl check --job job.yaml --config nodes/bank.yaml\` (likewise for ecommerce and government)
2. Create the key folders offline and hand each \`keys/<node>\` folder to its node:
   \`hefl keys init --job job.yaml --out keys\`
3. Start the coordinator, with the live dashboard at http://127.0.0.1:8080/ :
   \`hefl coordinator --job job.yaml --keys keys/coordinator --port 7700 --dashboard 127.0.0.1:8080 --ledger outputs/coordinator-ingress.jsonl --report-dir outputs/report\`
4. On each node (three terminals, or three machines with \`coordinator:\` set in the node file):
   \`hefl participant --config nodes/bank.yaml\`
   \`hefl participant --config nodes/ecommerce.yaml\`
   \`hefl participant --config nodes/government.yaml\`
   If the coordinator crashes, start it again with the same options plus \`--resume\` (or always run it with
   \`--resume auto\`, which starts the job the first time and resumes it after a crash): the nodes rejoin by themselves.

   On separate machines: give the coordinator \`--host <its address or 0.0.0.0>\` and mutual TLS, which HEFL
   requires off loopback. Between steps 2 and 3 the operator runs
   \`hefl provision --federation federation.json --job job.yaml --roster keys/coordinator/keys.json --out kits\`
   (federation.json names the coordinator's address as participants dial it; a node may instead make its own key
   with \`hefl provision request\`), starts the coordinator with \`--kit kits/coordinator\`, and each node sets
   \`coordinator: <address>:7700\` and \`kitDir: kits/<node>\` in its file. Ports, firewall, proxies, backups and
   systemd units: DEPLOYMENT.md in the HEFL repository.
5. When the job ends: \`outputs/report/\` holds report.json, model-card.md, rounds.csv, auc.svg and loss.svg; each
   node's final model is in \`outputs/<node>/model/\` and what it sent in \`outputs/<node>/egress.jsonl\`.
6. An auditor checks every ledger:
   \`hefl audit verify --roster keys/coordinator/keys.json --report outputs/audit.md outputs/*/egress.jsonl outputs/coordinator-ingress.jsonl\`
`,
  );
  written.push(guide);
  return written;
}
