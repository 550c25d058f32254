import { describe, expect, it } from 'vitest';
import { loopbackOnly, runScenario } from './run-scenario.ts';
import { baseline } from './scenarios/baseline.ts';
import { freePort } from './target-process.ts';
import type { Scenario } from './types.ts';

const opts = {
  durationSec: 1,
  rate: 50,
  connections: 2,
  lanes: 5,
  warmupSec: 0,
  targetLog: undefined,
  runId: 'benchsmoke',
  log: () => {},
};

describe('runScenario', () => {
  it('loads the bare target briefly and reports every figure', async () => {
    const outcome = await runScenario({ ...baseline, loads: [{ mode: 'fixed' }] }, opts);
    expect(outcome.status).toBe('ran');
    if (outcome.status !== 'ran') return;
    expect(outcome.measurements).toHaveLength(1);
    const [m] = outcome.measurements;
    expect(m?.scenario).toBe('baseline');
    expect(m?.load).toMatchObject({ mode: 'fixed', targetRate: 50, connections: 5, errors: 0, non2xx: 0 });
    expect(m?.load.completed).toBeGreaterThan(0);
    expect(m?.load.statusCodes['200']).toBe(m?.load.completed);
    expect(m?.load.latencyMs.p99).toBeGreaterThan(0);
    expect(m?.process.peakRssKb).toBeGreaterThan(0);
    expect(m?.process.cpuSeconds).toBeGreaterThanOrEqual(0);
  }, 10_000);

  it('skips, with the reason, a running-platform scenario whose target is not there', async () => {
    const port = await freePort();
    const absent: Scenario = {
      ...baseline,
      name: 'gateway',
      target: { kind: 'url', url: `http://127.0.0.1:${port}` },
    };
    const outcome = await runScenario(absent, opts);
    expect(outcome).toMatchObject({ status: 'skipped', reason: expect.stringContaining(`127.0.0.1:${port}/healthz`) });
  });
});

describe('loopbackOnly', () => {
  it.each([
    ['http://127.0.0.1:8080', undefined],
    ['http://localhost:8080', 'http://localhost:8080 is not on 127.0.0.1'],
    ['https://shop.example.com', 'https://shop.example.com is not on 127.0.0.1'],
    ['not a url', 'not a url is not a URL'],
  ])('%s', (url, want) => {
    expect(loopbackOnly(url)).toBe(want);
  });
});
