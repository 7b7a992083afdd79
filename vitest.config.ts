import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'conformance/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The machine has 2 cores; tests start servers and etcd processes, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
