import { defineConfig } from 'vitest/config';

/** The Kubernetes end-to-end suite: real cluster, minutes per test, run on its own. */
export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['tests/e2e/k8s/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
