import { defineConfig } from 'vitest/config';

// The bench's tests need no Postgres, Redis or NATS, so they skip the root config's global setup.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], pool: 'forks', testTimeout: 30_000 },
});
