import { UsageError } from './usage-error.js';

// The bench lives beside the product in a source checkout (bench/) and uses development packages
// (Paillier for the comparison), so the installed package does not ship it. A computed specifier keeps
// the compiler from pulling bench/ into the package build (tsconfig.build.json).
const BENCH_MODULE = ['..', 'bench', 'run-bench.js'].join('/');

/** `hefl bench`: runs bench/run-bench.ts from a source checkout; in an installed package, says where it is. */
export async function runBenchCommand(argv: string[]): Promise<number> {
  let bench: { main: (argv: string[]) => Promise<number> };
  try {
    bench = (await import(BENCH_MODULE)) as typeof bench;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new UsageError(
      'the bench runs from a source checkout of HEFL with its development dependencies (git clone, npm ci, npm run bench); the installed package does not ship it',
      'Usage: npm run bench [-- --only <section>]   (in a source checkout)',
    );
  }
  return bench.main(argv);
}
