import type { z } from 'zod';
import { findSimilarName } from '../data/find-similar-name.js';

/**
 * Renders zod issues for a person: `file: field.path: what was expected`, one per line, with a
 * "did you mean" for a misspelt field name when the schema knows a close one.
 */
export function formatConfigIssues(source: string, error: z.ZodError, knownFields: (path: readonly PropertyKey[]) => readonly string[] = () => []): string {
  const lines = error.issues.flatMap((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const suggestion = findSimilarName(key, knownFields(issue.path));
        return `  ${source}: ${path === '(top level)' ? key : `${path}.${key}`}: unknown field${suggestion ? `; did you mean "${suggestion}"?` : ''}`;
      });
    }
    return [`  ${source}: ${path}: ${issue.message}`];
  });
  return `invalid configuration in ${source}:\n${lines.join('\n')}`;
}
