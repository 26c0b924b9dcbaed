import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bankMarketingFeatures } from '../examples/bank-marketing/bank-marketing-job.js';
import { ConfigError } from '../protocols/errors.js';
import { jobSpecSchema } from '../protocols/job/job-spec.js';
import { parseConfigText } from '../protocols/job/read-config-file.js';
import { participantConfigSchema } from '../participant/participant-config.js';

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

training:
  rounds: 20            # federated rounds after the statistics round
  localEpochs: 1        # passes over local data per round
  batchSize: 256
  learningRate: 0.003
  optimizer: adam       # or sgd
  seed: 42              # initial model and shuffling: same seed, same run
  clipNorm: 0           # L2 bound on each participant's update; 0 = off

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
`;
}

function nodeYaml(jobId: string, participantId: string): string {
  return `# HEFL participant node "${participantId}". Paths are relative to this file.
participantId: ${participantId}
jobId: ${jobId}
coordinator: 127.0.0.1:7700        # host:port of the coordinator
dataCsv: ../data/${participantId}.csv   # your training rows; they never leave this node
# evaluationCsv: ../data/holdout.csv   # optional: report each global model's AUC on it
keysDir: ../keys/${participantId}       # from \`hefl keys init\`
outputDir: ../outputs/${participantId}  # final model, egress log, secret key share
`;
}

/**
 * `hefl init`: a federation folder with a commented job file, one node config per participant and a
 * short guide, so a newcomer edits rather than writes them. Both files are validated before writing.
 */
export async function scaffoldFederation(scenario: Scenario, directory: string): Promise<string[]> {
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
  for (const participantId of PARTICIPANTS) {
    const text = nodeYaml(jobId, participantId);
    parseConfigText(text, `${participantId}.yaml`, participantConfigSchema);
    const path = join(directory, 'nodes', `${participantId}.yaml`);
    await writeFile(path, text);
    written.push(path);
  }
  const guide = join(directory, 'NEXT-STEPS.md');
  await writeFile(
    guide,
    `# Next steps

1. Put each institution's CSV at \`data/<participant>.csv\` (for the demo data, \`npm run demo\` writes
   \`out/bank-marketing-demo/data/*.csv\`; copy them here).
2. \`hefl keys init --job job.yaml --out keys\` and hand each \`keys/<node>\` folder to its node.
3. \`hefl coordinator --job job.yaml --keys keys/coordinator --port 7700 --report outputs/report.json\`
4. On each node: \`hefl participant --config nodes/<participant>.yaml\`
`,
  );
  written.push(guide);
  return written;
}
