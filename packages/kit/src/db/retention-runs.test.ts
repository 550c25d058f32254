import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.ts';
import { silentLog, testDb } from '../testing/index.ts';
import { createRetention } from './retention.ts';
import { DAY_MS } from './retention-config.ts';

describe('retention_runs_total', () => {
  const db = testDb('retruns');
  beforeAll(async () => {
    await db.query(`CREATE SCHEMA "${db.schema}"`);
  });
  afterAll(() => db.drop());

  it('exists at 0 for ok, skipped and failed before any run, so a first failure is an increase', async () => {
    const metrics = createMetrics({ service: 'retruns', runtime: false });
    const runs = () => metrics.registry.getSingleMetric('retention_runs_total')?.get();
    const retention = createRetention({
      db,
      log: silentLog(),
      metrics,
      // A table the schema lacks: every run fails.
      targets: [{ table: 'missing', column: 'at', keepMs: 30 * DAY_MS, horizonMs: 8 * DAY_MS }],
      intervalMs: 60_000,
      batchSize: 10,
    });
    const before = (await runs())?.values.map((v) => [v.labels.result, v.value]);
    expect(before).toEqual(
      expect.arrayContaining([
        ['ok', 0],
        ['skipped', 0],
        ['failed', 0],
      ]),
    );
    expect(before).toHaveLength(3);
    await expect(retention.runOnce()).rejects.toThrow(/missing/);
    const after = (await runs())?.values.map((v) => [v.labels.result, v.value]);
    expect(after).toEqual(
      expect.arrayContaining([
        ['ok', 0],
        ['skipped', 0],
        ['failed', 1],
      ]),
    );
    await retention.stop();
  });
});
