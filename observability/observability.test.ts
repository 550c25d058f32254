import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRouter, type Running, serve } from '@storefront/kit';
import { silentLog } from '@storefront/kit/testing';
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
  // Metrics the kit exposes on every service (http, runtime) or with the bus (outbox, consumers).
  const known = [
    'http_server_request_duration_seconds',
    'http_server_requests_in_flight',
    'process_resident_memory_bytes',
    'nodejs_eventloop_lag_p99_seconds',
    'outbox_pending',
    'dlq_depth',
    'events_consumed_total',
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
  let prom: ChildProcess;
  let promUrl: string;

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
    });
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
        `    static_configs: [{ targets: ['127.0.0.1:${app.port}'], labels: { namespace: test } }]`,
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
});
