import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Network tests bind 127.0.0.1:0 only; two workers suit the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
