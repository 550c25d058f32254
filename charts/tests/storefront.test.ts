import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorefrontSpec } from '@storefront/cdk8s';
import { validateManifests } from '@storefront/cdk8s/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { helm, type Rendered, ROOT, template } from './helm.ts';

const CHART = 'storefront';
const storefrontOf = (objects: Rendered[]) => objects.find((o) => o.kind === 'Storefront');

describe('charts/storefront', () => {
  it('passes helm lint', async () => {
    const result = await helm(['lint', `${ROOT}/charts/${CHART}`]);
    expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
  });

  it('renders one Storefront whose spec the API schema accepts', async () => {
    const objects = await template(CHART);
    expect(objects.map((o) => o.kind)).toEqual(['Storefront']);
    const sf = storefrontOf(objects);
    expect(sf?.metadata).toMatchObject({ name: 'storefront', namespace: 'storefront-system' });
    expect(StorefrontSpec.safeParse(sf?.spec).error?.issues).toBeUndefined();
  });

  it('passes a production values file through verbatim', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-values-'));
    const spec = {
      image: 'registry.example.com/storefront',
      version: '1.4.2',
      services: { catalog: { autoscaling: { minReplicas: 3, maxReplicas: 12 } }, crm: { enabled: false } },
      postgres: { mode: 'external', external: { secretRef: { name: 'pg-admin', key: 'url' } } },
      payments: { provider: 'stripe', secretRef: { name: 'stripe' } },
      ingress: { host: 'shop.example.com', className: 'nginx', tlsSecretName: 'shop-tls' },
      observability: { serviceMonitor: { enabled: true, labels: { release: 'kps' } } },
    };
    writeFileSync(join(dir, 'values.yaml'), stringify({ name: 'acme', spec }));
    const sf = storefrontOf(await template(CHART, ['-f', join(dir, 'values.yaml')]));
    rmSync(dir, { recursive: true });
    // Helm merges maps with the chart defaults; the keys we set must arrive unchanged.
    expect(sf?.spec).toMatchObject(spec);
    expect(StorefrontSpec.safeParse(sf?.spec).error?.issues).toBeUndefined();
  });

  it('rejects a bad values file, naming every offending field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-values-'));
    const bad = {
      name: 'shop',
      spec: { image: 'x', version: '1', nats: { managed: { replicas: 'three' } }, ingres: { host: 'a' } },
    };
    writeFileSync(join(dir, 'bad.yaml'), stringify(bad));
    const error = await template(CHART, ['-f', join(dir, 'bad.yaml')]).catch((e: unknown) => String(e));
    rmSync(dir, { recursive: true });
    expect(error).toMatch(/values don't meet the specifications of the schema/);
    expect(error).toMatch(/replicas/);
    expect(error).toMatch(/ingres/);
  });

  it.each([
    ['an unknown spec field', ['--set', 'spec.replica=3']],
    ['an unknown payments provider', ['--set', 'spec.payments.provider=paypal']],
    ['a bad quantity', ['--set', 'spec.postgres.managed.storage=lots']],
    ['a name that is not a DNS label', ['--set', 'name=My_Shop']],
  ])('values.schema.json rejects %s', async (_name, args) => {
    await expect(template(CHART, args)).rejects.toThrow(/values don't meet the specifications of the schema/);
  });

  describe('observability files', () => {
    // A copy of the chart with one dashboard and one rules file, as `npm run generate` would copy them.
    const copy = mkdtempSync(join(tmpdir(), 'sf-chart-'));
    cpSync(join(ROOT, 'charts', CHART), join(copy, CHART), { recursive: true });
    writeFileSync(
      join(copy, CHART, 'files/dashboards/slo_overview.json'),
      JSON.stringify({ title: 'SLO overview', panels: [] }),
    );
    writeFileSync(
      join(copy, CHART, 'files/rules/checkout-alerts.yaml'),
      stringify({
        groups: [{ name: 'checkout', rules: [{ alert: 'CheckoutErrors', expr: 'sum(rate(x[5m])) > 1', for: '5m' }] }],
      }),
    );
    afterAll(() => rmSync(copy, { recursive: true, force: true }));

    const render = async (args: string[]) => {
      const result = await helm(['template', 'r', join(copy, CHART), '-n', 'shop', ...args]);
      if (!result.ok) throw new Error(result.stderr);
      return (await import('yaml'))
        .parseAllDocuments(result.stdout)
        .map((d) => d.toJS() as Rendered)
        .filter(Boolean);
    };

    it('renders one object per synced observability/ file in the real chart', async () => {
      const synced = [
        ...readdirSync(join(ROOT, 'charts', CHART, 'files/dashboards')),
        ...readdirSync(join(ROOT, 'charts', CHART, 'files/rules')),
      ].filter((f) => f !== '.gitkeep');
      const objects = await template(CHART, [
        '--set',
        'dashboards.enabled=true',
        '--set',
        'prometheusRules.enabled=true',
      ]);
      expect(objects.filter((o) => o.kind !== 'Storefront')).toHaveLength(synced.length);
    });

    it('renders nothing extra unless enabled', async () => {
      expect((await render([])).map((o) => o.kind)).toEqual(['Storefront']);
    });

    it('renders dashboard ConfigMaps and PrometheusRules with configurable labels', async () => {
      const objects = await render([
        '--set',
        'dashboards.enabled=true',
        '--set',
        'prometheusRules.enabled=true',
        '--set',
        'prometheusRules.labels.release=kps',
      ]);
      const dashboard = objects.find((o) => o.metadata.name === 'storefront-slo-overview-dashboard');
      expect(dashboard?.metadata).toMatchObject({
        name: 'storefront-slo-overview-dashboard',
        labels: { grafana_dashboard: '1' },
      });
      expect(JSON.parse((dashboard?.data as Record<string, string> | undefined)?.['slo_overview.json'] ?? '')).toEqual({
        title: 'SLO overview',
        panels: [],
      });
      const rule = objects.find((o) => o.metadata.name === 'storefront-checkout-alerts');
      expect(rule?.metadata).toMatchObject({ name: 'storefront-checkout-alerts', labels: { release: 'kps' } });
      expect(rule?.spec).toMatchObject({ groups: [{ name: 'checkout', rules: [{ alert: 'CheckoutErrors' }] }] });
      expect(() => validateManifests(objects.filter((o) => o.kind === 'ConfigMap'))).not.toThrow();
    });
  });
});
