import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../protocols/errors.js';
import type { JobSpec } from '../protocols/job/job-spec.js';
import { readConfigFile } from '../protocols/job/read-config-file.js';
import { labelHolder, type VerticalJobSpec } from '../protocols/vertical/vertical-job-spec.js';
import { participantConfigSchema, type ParticipantConfig } from '../participant/participant-config.js';
import { checkHorizontalFile, checkPartyFile, type FileCheck } from './check/check-data-file.js';
import { formatCheckReport, type CheckReport } from './check/format-check-report.js';
import { EXIT } from './exit-codes.js';
import { readJobFile } from './read-job-file.js';
import { UsageError } from './usage-error.js';

export const CHECK_HELP = `Usage: hefl check --job JOB (--config NODE_CONFIG | --csv FILE) [--party ID] [--scoring] [--delimiter D] [--json]

Checks a node's data against the job offline, before it joins: no connection is made and no key is
read. With --config, checks the node's dataCsv and evaluationCsv (a vertical job: the party's
dataCsv and, for the label holder, its scoringCsv); with --csv, that one file (a vertical job also
needs --party, unless --config names the party). Every problem is listed with file, line and column
(the first 50 per column; the rest are counted), then a summary per file: rows, the label's class
balance, per numeric column min, max, mean and the missing and invalid cells, per categorical column
the rows per category and each unknown value (with a "did you mean"); for a vertical party also the
id column's empty and repeated ids and any undeclared columns.

A category matches a cell by its spelling or, when both are numbers, by value: the category 2 (or
"2") matches 2, 2.0 and 2.00, not 2.5.

Options:
  --job FILE        the job file (JSON or YAML), horizontal or vertical             (required)
  --config FILE     the node's config file (its CSV paths, csvDelimiter, participantId)
  --csv FILE        check this CSV instead of the config's files
  --party ID        vertical jobs: the party whose columns the CSV holds (default: the config's participantId)
  --scoring         vertical jobs, with --csv: the file is the label holder's scoringCsv (no label column)
  --delimiter D     ";" or "," (default: the config's csvDelimiter, else detected from the header)
  --json            one JSON document on stdout, for machines

Exit codes: 0 no problems, 4 problems found (dataset invalid), 3 job or node config invalid, 2 usage.

Example:
  hefl check --job federation/job.yaml --config federation/nodes/bank.yaml`;

interface CheckInputs {
  config: ParticipantConfig | undefined;
  fromConfig: (path: string) => string;
  csv: string | undefined;
  scoring: boolean;
  delimiter: string | undefined;
}

function checkHorizontal(job: JobSpec, inputs: CheckInputs): Promise<FileCheck[]> {
  const { config, csv, delimiter } = inputs;
  if (config && !job.federation.participants.includes(config.participantId)) {
    throw new ConfigError(`participant "${config.participantId}" is not in the job's federation.participants (${job.federation.participants.join(', ')})`);
  }
  const files = csv !== undefined
    ? [{ path: csv, role: 'training data', delimiter }]
    : [
        { path: inputs.fromConfig((config as ParticipantConfig).dataCsv), role: 'training data', delimiter },
        ...(config?.evaluationCsv ? [{ path: inputs.fromConfig(config.evaluationCsv), role: 'evaluation data', delimiter }] : []),
      ];
  return Promise.all(files.map((file) => checkHorizontalFile(file, job.features)));
}

function checkVertical(job: VerticalJobSpec, partyId: string | undefined, inputs: CheckInputs): Promise<FileCheck[]> {
  const { config, csv, delimiter } = inputs;
  if (partyId === undefined) throw new UsageError('a vertical job needs --party ID (or --config) to know whose columns the CSV holds', CHECK_HELP);
  const party = job.parties.find((candidate) => candidate.id === partyId);
  if (!party) throw new ConfigError(`party "${partyId}" is not in the job (parties: ${job.parties.map((candidate) => candidate.id).join(', ')})`);
  const isLabelHolder = labelHolder(job).id === party.id;
  const training = { idColumn: party.idColumn, features: party.features, label: party.label };
  if (csv !== undefined && inputs.scoring) {
    if (!isLabelHolder) throw new UsageError(`--scoring: only the label holder (${labelHolder(job).id}) has a scoring file`, CHECK_HELP);
    return Promise.all([checkPartyFile({ path: csv, role: 'scoring data', delimiter }, { idColumn: party.idColumn, features: party.features })]);
  }
  if (csv !== undefined) return Promise.all([checkPartyFile({ path: csv, role: 'training data', delimiter }, training)]);
  const node = config as ParticipantConfig;
  if (isLabelHolder && job.scoring && !node.scoringCsv) throw new ConfigError(`job scores new customers after training: give the label holder's node a scoringCsv`);
  const checks = [checkPartyFile({ path: inputs.fromConfig(node.dataCsv), role: 'training data', delimiter }, training)];
  if (isLabelHolder && node.scoringCsv) {
    checks.push(checkPartyFile({ path: inputs.fromConfig(node.scoringCsv), role: 'scoring data', delimiter }, { idColumn: party.idColumn, features: party.features }));
  }
  return Promise.all(checks);
}

export async function runCheckCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      job: { type: 'string' },
      config: { type: 'string' },
      csv: { type: 'string' },
      party: { type: 'string' },
      delimiter: { type: 'string' },
      scoring: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(CHECK_HELP);
    return EXIT.ok;
  }
  if (!values.job) throw new UsageError('--job is required', CHECK_HELP);
  if (!values.config && !values.csv) throw new UsageError('give --config NODE_CONFIG or --csv FILE', CHECK_HELP);
  if (values.delimiter !== undefined && values.delimiter !== ';' && values.delimiter !== ',') throw new UsageError('--delimiter must be ";" or ","', CHECK_HELP);
  const anyJob = await readJobFile(values.job);
  const config = values.config ? await readConfigFile(values.config, participantConfigSchema) : undefined;
  if (config && config.jobId !== anyJob.job.jobId) throw new ConfigError(`${values.config}: jobId "${config.jobId}" is not the job file's "${anyJob.job.jobId}"`);
  const base = values.config ? dirname(resolve(values.config)) : process.cwd();
  const inputs: CheckInputs = {
    config,
    fromConfig: (path) => (isAbsolute(path) ? path : join(base, path)),
    csv: values.csv,
    scoring: values.scoring,
    delimiter: values.delimiter ?? config?.csvDelimiter,
  };
  const files = anyJob.kind === 'horizontal' ? await checkHorizontal(anyJob.job, inputs) : await checkVertical(anyJob.job, values.party ?? config?.participantId, inputs);
  const ok = files.every((file) => file.problems.total === 0);
  const node = anyJob.kind === 'vertical' ? (values.party ?? config?.participantId) : config?.participantId;
  const report: CheckReport = { ok, job: { id: anyJob.job.jobId, kind: anyJob.kind }, node, files };
  console.log(values.json ? JSON.stringify(report, null, 2) : formatCheckReport(report));
  return ok ? EXIT.ok : EXIT.dataset;
}
