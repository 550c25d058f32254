import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream, testGateway } from './test-helpers.ts';

/**
 * The pool has a bounded number of connections; a request that waits for a free one is still
 * bounded by its route's timeout, so an overloaded upstream cannot make callers queue forever.
 */
let up: Awaited<ReturnType<typeof startUpstream>>;
let gw: Awaited<ReturnType<typeof testGateway>>;

beforeAll(async () => {
  up = await startUpstream((app) => {
    app.get('/slow', async (c) => {
      await new Promise((r) => setTimeout(r, 2_000));
      return c.json({ late: true });
    });
  });
  gw = await testGateway({
    urls: { catalog: up.url },
    env: {
      CACHE_ENABLED: 'false',
      UPSTREAM_CONNECTIONS: '1',
      UPSTREAM_TIMEOUTS_MS: JSON.stringify({ default: 400 }),
      CIRCUIT_FAILURES: '100',
    },
  });
});
afterAll(async () => {
  await gw.close();
  await up.close();
});

describe('pool queueing', () => {
  it('times out a request queued behind a busy connection', async () => {
    const started = performance.now();
    const results = await Promise.all([1, 2, 3].map(() => gw.request('/api/catalog/slow')));
    const took = performance.now() - started;
    expect(results.map((r) => r.status)).toEqual([504, 504, 504]);
    expect(took).toBeLessThan(1_500);
  });
});
