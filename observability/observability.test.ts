import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createMetrics,
  createRetention,
  createRouter,
  type Metrics,
  type Running,
  retentionLockKey,
  serve,
} from '@storefront/kit';
import { silentLog, testDb } from '@storefront/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const rules = join(here, 'prometheus/rules/storefront.rules.yml');

describe('alert and recording rules', () => {
  it('pass promtool check and the promtool unit tests', () => {
    const check = execFileSync('promtool', ['check', 'rules', rules], { encoding: 'utf8' });
    expect(check).toContain('SUCCESS');
    const test = execFileSync('promtool', ['test', 'rules', join(here, 'prometheus/tests/storefront.rules.test.yml')], {
      encoding: 'utf8',
    });
    expect(test).toContain('SUCCESS');
  });
});

describe('dashboards', () => {
  const dashboard = JSON.parse(readFileSync(join(here, 'grafana/dashboards/storefront-overview.json'), 'utf8')) as {
    uid: string;
    panels: { title: string; targets: { expr: string }[] }[];
  };
  // Metrics the kit exposes on every service (http, runtime), with the bus (outbox, consumers) or
  // with retention of dedupe tables.
  const known = [
    'http_server_request_duration_seconds',
    'http_server_requests_in_flight',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_p99_seconds',
    'outbox_pending',
    'dlq_depth',
    'events_consumed_total',
    'retention_last_run_timestamp_seconds',
    'retention_runs_total',
    'retention_rows_pruned_total',
  ];

  it('queries only metrics the platform exposes, and every query parses', () => {
    expect(dashboard.uid).toBe('storefront-overview');
    for (const panel of dashboard.panels) {
      for (const t of panel.targets) {
        const names = [...t.expr.matchAll(/([a-z][a-z0-9_:]*)(?:_bucket|_count|_sum)?\{/g)].map((m) =>
          (m[1] ?? '').replace(/_(bucket|count|sum)$/, ''),
        );
        expect(names.length, panel.title).toBeGreaterThan(0);
        for (const n of names) expect(known, `${panel.title} uses ${n}`).toContain(n);
      }
    }
  });
});

describe('a real Prometheus scraping a kit-served service', () => {
  let app: Running;
  // A second service whose only replica loses the retention lock: it never completes a run.
  let idle: Running;
  let prom: ChildProcess;
  let promUrl: string;
  const db = testDb('obs');
  let ranBetween: [number, number] = [0, 0];
  const scrapedMetrics = createMetrics({ service: 'scraped' });
  const idleMetrics = createMetrics({ service: 'scraped-idle' });

  /** One retention pass over an empty table, publishing to `metrics` as a service's replica would. */
  const retentionRun = (metrics: Metrics) =>
    createRetention({
      db,
      log: silentLog(),
      metrics,
      targets: [{ table: 'receipts', column: 'received_at', keepMs: 30 * 86_400_000, horizonMs: 3 * 86_400_000 }],
      intervalMs: 3_600_000,
      batchSize: 100,
    }).runOnce();

  beforeAll(async () => {
    const service = createRouter();
    service.get('/ok', (c) => c.json({ ok: true }));
    service.get('/fail', () => {
      throw new Error('boom');
    });
    app = await serve(service, {
      service: 'scraped',
      port: 0,
      host: '127.0.0.1',
      log: silentLog(),
      handleSignals: false,
      metrics: scrapedMetrics,
    });
    idle = await serve(createRouter(), {
      service: 'scraped-idle',
      port: 0,
      host: '127.0.0.1',
      log: silentLog(),
      handleSignals: false,
      metrics: idleMetrics,
    });
    await db.query(`CREATE SCHEMA "${db.schema}"`);
    await db.query('CREATE TABLE receipts (received_at timestamptz NOT NULL)');
    const before = Date.now() / 1_000;
    expect((await retentionRun(scrapedMetrics)).ran).toBe(true);
    ranBetween = [before, Date.now() / 1_000];
    const holder = await db.pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtext($1))', [retentionLockKey(db.schema)]);
      expect((await retentionRun(idleMetrics)).ran).toBe(false);
      await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [retentionLockKey(db.schema)]);
    } finally {
      holder.release();
    }
    const dir = mkdtempSync(join(tmpdir(), 'prom-'));
    const port = 19_000 + Math.floor(Math.random() * 1000);
    promUrl = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: ['${rules}']`,
        'scrape_configs:',
        '  - job_name: storefront-test',
        `    static_configs: [{ targets: ['127.0.0.1:${app.port}', '127.0.0.1:${idle.port}'], labels: { namespace: test } }]`,
      ].join('\n'),
    );
    prom = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
  });

  afterAll(async () => {
    prom?.kill('SIGTERM');
    await app?.close();
    await idle?.close();
    await db.drop();
  });

  async function query(q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    try {
      const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await res.json()) as {
        data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
      };
      return body.data?.result ?? [];
    } catch {
      return [];
    }
  }

  it('computes the recording rules from the kit metrics', async () => {
    const deadline = Date.now() + 40_000;
    let ratio: Awaited<ReturnType<typeof query>> = [];
    while (Date.now() < deadline) {
      for (let i = 0; i < 9; i++) await fetch(`${app.url}/ok`);
      await fetch(`${app.url}/fail`);
      ratio = await query('service:http_error_ratio:rate5m{service="scraped"}');
      if (ratio.length > 0 && Number(ratio[0]?.value[1]) > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(ratio[0]?.metric).toMatchObject({ service: 'scraped', namespace: 'test' });
    const value = Number(ratio[0]?.value[1]);
    // One in ten requests fails; scrapes of /metrics itself count as successes, so the ratio is at
    // most 0.1 (Prometheus's float division can land a hair above it: 0.10000000000000002).
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThanOrEqual(0.1 + 1e-9);
    const up = await query('up{job="storefront-test"}');
    expect(up[0]?.value[1]).toBe('1');
    const p99 = await query('service_route:http_latency_p99:5m{service="scraped",route="/ok"}');
    expect(p99.length).toBe(1);
  });

  it('dates the last successful retention run per service, or a replica start when it has none', async () => {
    const rule = 'service:retention_last_success_or_start:timestamp_seconds';
    let rows: Awaited<ReturnType<typeof query>> = [];
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      rows = await query(`${rule}{namespace="test"}`);
      if (rows.length === 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const of = (service: string) => Number(rows.find((r) => r.metric.service === service)?.value[1]);
    // The replica that held the lock: the time of its run.
    expect(of('scraped')).toBeGreaterThanOrEqual(ranBetween[0] - 1);
    expect(of('scraped')).toBeLessThanOrEqual(ranBetween[1] + 1);
    // The one that skipped keeps 0 and counts from its process start (same labels, so `and` matches).
    const start = await query('process_start_time_seconds{service="scraped-idle"}');
    expect(of('scraped-idle')).toBe(Number(start[0]?.value[1]));
    const skipped = await query('retention_runs_total{service="scraped-idle",result="skipped"}');
    expect(skipped[0]?.value[1]).toBe('1');
    expect(await query('ALERTS{alertname=~"StorefrontRetention.*"}')).toEqual([]);
  });
});
