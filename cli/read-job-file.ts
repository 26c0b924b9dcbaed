import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../protocols/errors.js';
import { VERTICAL_JOB_KIND, verticalJobSpecSchema, type VerticalJobSpec } from '../protocols/vertical/vertical-job-spec.js';
import { jobSpecSchema, type JobSpec } from '../protocols/job/job-spec.js';
import { parseConfigText } from '../protocols/job/read-config-file.js';

/** A job file of either shape: horizontal (the default) or vertical (`kind: vertical-logistic-regression`). */
export type AnyJob = { readonly kind: 'horizontal'; readonly job: JobSpec } | { readonly kind: 'vertical'; readonly job: VerticalJobSpec };

/** Reads a job file and validates it with the schema its `kind` names; errors name the file and field. */
export async function readJobFile(path: string): Promise<AnyJob> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read ${path}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(cause)}`, { cause });
  }
  let kind: unknown;
  try {
    const raw = (/\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text)) as { kind?: unknown } | null;
    kind = raw && typeof raw === 'object' ? raw.kind : undefined;
  } catch {
    kind = undefined; // parseConfigText reports the syntax error with its position
  }
  if (kind === VERTICAL_JOB_KIND) return { kind: 'vertical', job: parseConfigText(text, path, verticalJobSpecSchema) };
  if (kind !== undefined) throw new ConfigError(`${path}: kind "${String(kind)}" is not a job kind (leave it out for horizontal training, or "${VERTICAL_JOB_KIND}")`);
  return { kind: 'horizontal', job: parseConfigText(text, path, jobSpecSchema) };
}
