/**
 * `--resume` (continue from the state file; an error without one) and `--resume auto` (continue when
 * there is a state file, start the job otherwise: one command line a supervisor can restart forever).
 * node:util's parseArgs has no optional values, so `auto` is taken out of the arguments first.
 */
export type ResumeMode = 'never' | 'always' | 'auto';

export function takeResumeOption(argv: readonly string[]): { argv: string[]; resume: ResumeMode } {
  const rest: string[] = [];
  let resume: ResumeMode = 'never';
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    if (argument === '--resume=auto' || (argument === '--resume' && argv[index + 1] === 'auto')) {
      resume = 'auto';
      if (argument === '--resume') index += 1;
    } else if (argument === '--resume') {
      resume = 'always';
    } else {
      rest.push(argument);
    }
  }
  return { argv: rest, resume };
}
