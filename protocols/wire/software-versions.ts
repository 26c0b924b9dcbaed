import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROTOCOL_VERSION } from './federation-messages.js';

/** What produced a job's results: for reports, so a run can be told apart from (and repeated like) another. */
export interface SoftwareVersions {
  readonly hefl: string | null;
  readonly node: string;
  readonly nodeSeal: string | null;
  readonly tfjs: string | null;
  readonly protocol: number;
}

let cached: SoftwareVersions | undefined;

/**
 * HEFL's own version (its package.json), Node's, and the installed node-seal and tfjs versions, read
 * from their package.json files the way Node resolves packages (node_modules folders upwards from
 * here); null where one cannot be found. Read once per process.
 */
export function softwareVersions(): SoftwareVersions {
  cached ??= {
    hefl: versionOf(packageJsonUpwards((directory) => join(directory, 'package.json'), 'hefl')),
    node: process.versions.node,
    nodeSeal: versionOf(packageJsonUpwards((directory) => join(directory, 'node_modules', 'node-seal', 'package.json'))),
    tfjs: versionOf(packageJsonUpwards((directory) => join(directory, 'node_modules', '@tensorflow', 'tfjs', 'package.json'))),
    protocol: PROTOCOL_VERSION,
  };
  return cached;
}

function packageJsonUpwards(candidate: (directory: string) => string, name?: string): unknown {
  for (let directory = import.meta.dirname; ; directory = dirname(directory)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(candidate(directory), 'utf8'));
      if (name === undefined || (typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === name)) return parsed;
    } catch {
      // not here: one folder up
    }
    if (dirname(directory) === directory) return undefined;
  }
}

function versionOf(packageJson: unknown): string | null {
  return typeof packageJson === 'object' && packageJson !== null && 'version' in packageJson && typeof packageJson.version === 'string' ? packageJson.version : null;
}
