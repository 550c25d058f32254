import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { busMigrationsDir } from '../bus/index.ts';
import { loadConfig } from '../config.ts';
import { createMetrics, type Metrics } from '../metrics.ts';
import { silentLog, testDb, testEnv } from '../testing/index.ts';
import { migrate } from './migrate.ts';
import { createDb } from './pool.ts';
import {
  createRetention,
  type RetentionTarget,
  retentionLockKey,
  retentionTarget,
  startRetention,
} from './retention.ts';
import { DAY_MS, retentionConfigShape } from './retention-config.ts';

const DAYS_30 = 30 * DAY_MS;
const target: RetentionTarget = { table: 'receipts', column: 'received_at', keepMs: DAYS_30, horizonMs: 3 * DAY_MS };

async function metricValue(m: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = m.registry.getSingleMetric(name);
  const values = (await metric?.get())?.values ?? [];
  const hit = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return hit?.value ?? 0;
}

describe('retention', () => {
  const db = testDb('ret');
  beforeAll(async () => {
    await db.query(`CREATE SCHEMA "${db.schema}"`);
    await db.query(`CREATE TABLE receipts (id int PRIMARY KEY, received_at timestamptz NOT NULL)`);
    await db.query('CREATE INDEX receipts_received_at ON receipts (received_at)');
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.query('TRUNCATE receipts');
    // 25 rows past the window, 5 inside it (one just inside).
    await db.query(`INSERT INTO receipts SELECT g, now() - interval '40 days' - g * interval '1 minute'
                      FROM generate_series(1, 25) g`);
    await db.query(`INSERT INTO receipts SELECT g, now() - (g - 26) * interval '1 day'
                      FROM generate_series(26, 29) g`);
    await db.query(`INSERT INTO receipts VALUES (30, now() - interval '29 days 23 hours')`);
  });

  const remaining = async () =>
    (await db.query<{ id: number }>('SELECT id FROM receipts ORDER BY id')).rows.map((r) => r.id);

  it('deletes rows past the window in batches and keeps recent ones; the metrics move', async () => {
    const metrics = createMetrics({ service: 'test', runtime: false });
    const batchSizes: number[] = [];
    const r = createRetention({
      db,
      log: silentLog(),
      metrics,
      targets: [target],
      intervalMs: 60_000,
      batchSize: 10,
      sleep: async () => {
        batchSizes.push(25 - (await remaining()).filter((id) => id <= 25).length);
      },
    });
    const before = await metricValue(metrics, 'retention_last_run_timestamp_seconds');
    const result = await r.runOnce();
    expect(result).toEqual({ ran: true, pruned: { receipts: 25 }, batches: 3 });
    // Two full batches paused in between (10 gone, then 20), the third found the last 5.
    expect(batchSizes).toEqual([10, 20]);
    expect(await remaining()).toEqual([26, 27, 28, 29, 30]);
    expect(await metricValue(metrics, 'retention_rows_pruned_total', { table: 'receipts' })).toBe(25);
    expect(await metricValue(metrics, 'retention_runs_total', { result: 'ok' })).toBe(1);
    expect(await metricValue(metrics, 'retention_last_run_timestamp_seconds')).toBeGreaterThan(before);

    expect(await r.runOnce()).toEqual({ ran: true, pruned: { receipts: 0 }, batches: 1 });
    expect(await metricValue(metrics, 'retention_rows_pruned_total', { table: 'receipts' })).toBe(25);
  });

  it('uses the timestamp index, so a batch never scans the whole table', async () => {
    await db.query('ANALYZE receipts');
    await db.query('SET enable_seqscan = off');
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT ctid FROM receipts WHERE received_at < now() - interval '30 days' LIMIT 10`,
    );
    await db.query('RESET enable_seqscan');
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/receipts_received_at/);
  });

  it("startRetention prunes a consuming service's inbox and its own tables, with the index in place", async () => {
    const svc = testDb('retinbox');
    const metrics = createMetrics({ service: 'svc', runtime: false });
    try {
      await migrate(svc, busMigrationsDir);
      const idx = await svc.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'inbox'`,
        [svc.schema],
      );
      expect(idx.rows.map((r) => r.indexdef).join('\n')).toMatch(/\(processed_at\)/);
      await svc.query('CREATE TABLE hooks (event_id text PRIMARY KEY, received_at timestamptz NOT NULL)');
      await svc.query(`INSERT INTO inbox (consumer, event_id, processed_at) VALUES
        ('c', gen_random_uuid(), now() - interval '31 days'), ('c', gen_random_uuid(), now() - interval '29 days')`);
      await svc.query(
        `INSERT INTO hooks VALUES ('old', now() - interval '5 days'), ('new', now() - interval '2 days')`,
      );
      const config = loadConfig(z.object(retentionConfigShape), {
        WEBHOOK_RETENTION_DAYS: '4',
        RETENTION_INTERVAL_SECONDS: '1',
      });
      const rt = { db: svc, log: silentLog(), metrics, bus: {} };
      const r = startRetention(rt, config, [{ table: 'hooks', column: 'received_at', policy: 'webhooks' }], {
        signals: false,
      });
      await expect
        .poll(() => metricValue(metrics, 'retention_runs_total', { result: 'ok' }), { timeout: 10_000 })
        .toBeGreaterThan(0);
      await r?.stop();
      expect(await metricValue(metrics, 'retention_rows_pruned_total', { table: 'inbox' })).toBe(1);
      expect(await metricValue(metrics, 'retention_rows_pruned_total', { table: 'hooks' })).toBe(1);
      expect((await svc.query('SELECT event_id FROM hooks')).rows).toEqual([{ event_id: 'new' }]);
      expect(startRetention(rt, { ...config, RETENTION_ENABLED: false })).toBeUndefined();
    } finally {
      await svc.drop();
    }
  });

  it('runs on one replica at a time: the others skip while the advisory lock is held', async () => {
    const other = createDb({ url: testEnv().databaseUrl, schema: db.schema });
    const metricsA = createMetrics({ service: 'a', runtime: false });
    const metricsB = createMetrics({ service: 'b', runtime: false });
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let paused: () => void = () => {};
    const inside = new Promise<void>((r) => {
      paused = r;
    });
    const a = createRetention({
      db,
      log: silentLog(),
      metrics: metricsA,
      targets: [target],
      intervalMs: 60_000,
      batchSize: 10,
      // Replica A stops after its first batch, holding the lock, until the test lets it go on.
      sleep: () => {
        paused();
        return held;
      },
    });
    const b = createRetention({
      db: other,
      log: silentLog(),
      metrics: metricsB,
      targets: [target],
      intervalMs: 60_000,
      batchSize: 10,
    });
    try {
      const runA = a.runOnce();
      await inside;
      expect(await b.runOnce()).toEqual({ ran: false });
      expect(await metricValue(metricsB, 'retention_runs_total', { result: 'skipped' })).toBe(1);
      expect((await remaining()).length).toBe(20);
      release();
      expect(await runA).toMatchObject({ ran: true, pruned: { receipts: 25 } });
      // Lock released: B runs now (and finds nothing left).
      expect(await b.runOnce()).toEqual({ ran: true, pruned: { receipts: 0 }, batches: 1 });
    } finally {
      release();
      await other.close();
    }
  });

  it('skips while another session (a replica elsewhere) holds the lock, and the lock dies with it', async () => {
    const holder = new pg.Client({ connectionString: testEnv().databaseUrl });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock(hashtext($1))', [retentionLockKey(db.schema)]);
    const r = createRetention({
      db,
      log: silentLog(),
      metrics: createMetrics({ service: 't', runtime: false }),
      targets: [target],
      intervalMs: 60_000,
      batchSize: 100,
    });
    expect(await r.runOnce()).toEqual({ ran: false });
    expect((await remaining()).length).toBe(30);
    await holder.end(); // a crashed replica: its session ends, its lock with it
    expect(await r.runOnce()).toMatchObject({ ran: true, pruned: { receipts: 25 } });
  });

  it('runs on its schedule once started, and stops', async () => {
    const metrics = createMetrics({ service: 't', runtime: false });
    const r = createRetention({
      db,
      log: silentLog(),
      metrics,
      targets: [target],
      intervalMs: 60_000,
      batchSize: 100,
      firstRunMs: 0,
    });
    r.start();
    await expect
      .poll(() => metricValue(metrics, 'retention_runs_total', { result: 'ok' }), { timeout: 10_000 })
      .toBe(1);
    await r.stop();
    expect(await remaining()).toEqual([26, 27, 28, 29, 30]);
  });

  it('refuses a window that does not outlive the horizon it protects', () => {
    const make = (keepMs: number) => () =>
      createRetention({
        db,
        log: silentLog(),
        metrics: createMetrics({ service: 't', runtime: false }),
        targets: [{ ...target, keepMs }],
        intervalMs: 1_000,
        batchSize: 1,
      });
    expect(make(3 * DAY_MS)).toThrow(/must be longer than the 3 d/);
    expect(make(4 * DAY_MS)).not.toThrow();
  });
});

describe('retention config', () => {
  const schema = z.object(retentionConfigShape);

  it('defaults to 30 days for inbox rows and webhook ids', () => {
    const c = loadConfig(schema, {});
    expect(c).toMatchObject({ INBOX_RETENTION_DAYS: 30, WEBHOOK_RETENTION_DAYS: 30, RETENTION_ENABLED: true });
    expect(retentionTarget({ table: 'inbox', column: 'processed_at', policy: 'inbox' }, c).keepMs).toBe(DAYS_30);
  });

  it('refuses windows inside the dedupe horizons: the stream max age (7 d) and Stripe retries (3 d)', () => {
    expect(() => loadConfig(schema, { INBOX_RETENTION_DAYS: '7' })).toThrow(/INBOX_RETENTION_DAYS/);
    expect(loadConfig(schema, { INBOX_RETENTION_DAYS: '8' }).INBOX_RETENTION_DAYS).toBe(8);
    expect(() => loadConfig(schema, { WEBHOOK_RETENTION_DAYS: '3' })).toThrow(/WEBHOOK_RETENTION_DAYS/);
    expect(loadConfig(schema, { WEBHOOK_RETENTION_DAYS: '4' }).WEBHOOK_RETENTION_DAYS).toBe(4);
  });
});
