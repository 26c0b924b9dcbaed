import type { z } from 'zod';

/** Renders zod issues for a person: `file: field.path: what was expected`, one per line. */
export function formatConfigIssues(source: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
    return `  ${source}: ${path}: ${issue.message}`;
  });
  return `invalid configuration in ${source}:\n${lines.join('\n')}`;
}
