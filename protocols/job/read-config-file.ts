import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { fieldNamesAt } from './field-names-at.js';
import { formatConfigIssues } from './format-config-issues.js';

/** Reads a JSON or YAML file and validates it; every failure names the file (and field). */
export async function readConfigFile<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
): Promise<z.infer<Schema>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(cause);
    throw new ConfigError(`cannot read ${path}: ${reason}`, { cause });
  }
  return parseConfigText(text, path, schema);
}

export function parseConfigText<Schema extends z.ZodType>(
  text: string,
  source: string,
  schema: Schema,
): z.infer<Schema> {
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(source) ? parseYaml(text) : JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${source} is not valid ${/\.ya?ml$/i.test(source) ? 'YAML' : 'JSON'}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatConfigIssues(source, parsed.error, (path) => fieldNamesAt(schema, path)));
  return parsed.data;
}
