import { defineConfig } from 'vitest/config';
import { scaledMs } from './test/support/time-scale.js';

export default defineConfig({
  test: {
    include: ['protocols/**/*.test.ts', 'proto/**/*.test.ts', 'provisioning/**/*.test.ts', 'reporting/**/*.test.ts', 'coordinator/**/*.test.ts', 'participant/**/*.test.ts', 'test/**/*.test.ts', 'cli/**/*.test.ts', 'examples/**/*.test.ts', 'bench/**/*.test.ts'],
    // Quiet-machine allowances times HEFL_TEST_TIME_SCALE (test/support/time-scale.ts).
    testTimeout: scaledMs(60_000),
    hookTimeout: scaledMs(60_000),
    pool: 'forks',
    // SEAL and tfjs-wasm each hold a large WASM heap (well under 2 GiB a worker); three workers on the
    // 2-core machine overlap the process tests' waits for deadlines and other processes (measured: 608 s
    // against 648 s for the whole suite with two), and every wall-clock allowance is scaled for a busy machine.
    maxWorkers: 3,
  },
});
