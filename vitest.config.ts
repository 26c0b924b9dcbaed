import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['protocols/**/*.test.ts', 'coordinator/**/*.test.ts', 'participant/**/*.test.ts', 'test/**/*.test.ts', 'cli/**/*.test.ts', 'examples/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // SEAL and tfjs-wasm each hold a large WASM heap; two workers fit the 2-core machine.
    maxWorkers: 2,
  },
});
