import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from './constructs/emit.ts';
import { LABELS } from './names.ts';
import { SAMPLE_SPEC } from './sample.ts';
import { buildStorefront } from './storefront-chart.ts';
import { sampleInput } from './test-fixtures.ts';
import { validateManifests } from './testing/validate.ts';
import { enabledServices } from './topology.ts';

const find = (objects: KubeObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);
type PodSpec = { containers: Record<string, unknown>[]; securityContext: Record<string, unknown> };
const podSpec = (o: KubeObject) => (o.spec as { template: { spec: PodSpec } }).template.spec;

describe('buildStorefront (the sample spec)', () => {
  const objects = buildStorefront(sampleInput());

  it('matches the reviewed snapshot', async () => {
    await expect(objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n')).toMatchFileSnapshot(
      '__snapshots__/sample-storefront.yaml',
    );
  });

  it('validates every object against the official schemas, with no unknown fields', () => {
    expect(() => validateManifests(objects)).not.toThrow();
  });

  it('is deterministic and names every object uniquely', () => {
    expect(buildStorefront(sampleInput())).toEqual(objects);
    const keys = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('labels every object for the operator watches and prefixes its name with the Storefront', () => {
    for (const o of objects) {
      expect(o.metadata.labels?.[LABELS.managedBy], `${o.kind}/${o.metadata.name}`).toBe('storefront-operator');
      expect(o.metadata.labels?.[LABELS.instance]).toBe('shop');
      expect(o.metadata.name.startsWith('shop')).toBe(true);
      expect(o.metadata.namespace).toBe('storefront');
    }
  });

  it('gives autoscaled Deployments no replicas and an HPA; fixed ones a replica count', () => {
    const gateway = find(objects, 'Deployment', 'shop-gateway');
    expect(gateway?.spec).not.toHaveProperty('replicas');
    expect(find(objects, 'HorizontalPodAutoscaler', 'shop-gateway')?.spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 6,
    });
    expect(find(objects, 'Deployment', 'shop-web')?.spec).toMatchObject({ replicas: 2 });
    expect(find(objects, 'HorizontalPodAutoscaler', 'shop-web')).toBeUndefined();
  });

  it('runs every pod as non-root with a read-only root filesystem and no capabilities', () => {
    const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
    // every enabled service, the three data stores and the migration Job
    expect(workloads.length).toBe(enabledServices(sampleInput().spec).length + 3 + 1);
    for (const w of workloads) {
      const spec = podSpec(w);
      expect(spec.securityContext, w.metadata.name).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      for (const c of spec.containers) {
        expect(c.securityContext, w.metadata.name).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources).toMatchObject({ requests: { cpu: expect.any(String), memory: expect.any(String) } });
      }
    }
  });

  it('probes every service on /healthz and /readyz and merges resource overrides field by field', () => {
    const catalog = podSpec(find(objects, 'Deployment', 'shop-catalog') as KubeObject).containers[0];
    expect(catalog).toMatchObject({
      livenessProbe: { httpGet: { path: '/healthz' } },
      readinessProbe: { httpGet: { path: '/readyz' } },
      resources: { requests: { memory: '96Mi' }, limits: { memory: '384Mi', cpu: '500m' } },
    });
  });

  it('leaves out disabled services and keeps PVCs of data stores on deletion', () => {
    expect(find(objects, 'Deployment', 'shop-crm')).toBeUndefined();
    for (const name of ['shop-postgres', 'shop-redis', 'shop-nats']) {
      expect(find(objects, 'StatefulSet', name)?.spec).toMatchObject({
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      });
    }
  });

  it('configures NATS for JetStream with fsync on every write, clustered for 3 replicas', () => {
    const data = find(objects, 'ConfigMap', 'shop-nats-config')?.data as Record<string, string> | undefined;
    const conf = data?.['nats.conf'];
    expect(conf).toContain('sync_interval: always');
    expect(conf).toContain('routes: [nats://shop-nats-0.shop-nats:6222, nats://shop-nats-1.shop-nats:6222');
    expect(podSpec(find(objects, 'StatefulSet', 'shop-nats') as KubeObject).containers[0]?.image).toBe('nats:2.12.1');
  });

  it('wires upstreams, JWKS, identity bootstrap and payments to the Stripe secret', () => {
    const env = (name: string) =>
      podSpec(find(objects, 'Deployment', name) as KubeObject).containers[0]?.env as { name: string; value?: string }[];
    expect(env('shop-gateway')).toContainEqual({ name: 'UPSTREAM_CATALOG_URL', value: 'http://shop-catalog:8080' });
    expect(env('shop-gateway')).toContainEqual({ name: 'DISABLED_SERVICES', value: 'crm' });
    expect(env('shop-cart')).toContainEqual({
      name: 'JWKS_URL',
      value: 'http://shop-identity:8080/.well-known/jwks.json',
    });
    expect(env('shop-identity')).toContainEqual({ name: 'PUBLIC_BASE_URL', value: 'https://shop.example.com' });
    expect(env('shop-identity')).toContainEqual({ name: 'COOKIE_SECURE', value: 'true' });
    expect(env('shop-payments')).toContainEqual({
      name: 'STRIPE_SECRET_KEY',
      valueFrom: { secretKeyRef: { name: 'shop-stripe', key: 'STRIPE_SECRET_KEY' } },
    });
    expect(env('shop-catalog')).toContainEqual({
      name: 'DATABASE_URL',
      value: 'postgres://catalog:$(DB_PASSWORD)@shop-postgres:5432/storefront',
    });
  });
});

describe('buildStorefront rollout gate', () => {
  const kinds = (objects: KubeObject[]) => new Set(objects.map((o) => o.kind));

  it('emits only the data plane before it is ready', () => {
    const objects = buildStorefront(sampleInput(SAMPLE_SPEC, { migrate: false }));
    expect(kinds(objects)).not.toContain('Deployment');
    expect(kinds(objects)).not.toContain('Job');
    expect(kinds(objects)).toContain('StatefulSet');
  });

  it('emits the migration Job, still without services, once the data plane is ready', () => {
    const objects = buildStorefront(sampleInput(SAMPLE_SPEC, { migrate: true }));
    expect(objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name)).toEqual([
      expect.stringMatching(/^shop-migrate-[0-9a-f]{10}$/),
    ]);
    expect(kinds(objects)).not.toContain('Deployment');
  });
});

describe('buildStorefront with external data stores', () => {
  const objects = buildStorefront(
    sampleInput({
      image: 'registry.local/storefront:dev',
      version: '0.2.0',
      postgres: { mode: 'external', external: { secretRef: { name: 'pg-admin' } } },
      redis: { mode: 'external', external: { secretRef: { name: 'redis', key: 'REDIS_URL' } } },
      nats: { mode: 'external', external: { secretRef: { name: 'nats' } } },
    }),
  );

  it('runs no StatefulSets and points services at the external endpoints', () => {
    expect(objects.filter((o) => o.kind === 'StatefulSet')).toEqual([]);
    const cart = podSpec(find(objects, 'Deployment', 'shop-cart') as KubeObject).containers[0];
    expect(cart?.image).toBe('registry.local/storefront:dev');
    expect(cart?.env).toEqual(
      expect.arrayContaining([
        { name: 'DATABASE_URL', value: 'postgres://cart:$(DB_PASSWORD)@pg.example.net:6432/shop?sslmode=require' },
        { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'redis', key: 'REDIS_URL' } } },
      ]),
    );
    const job = podSpec(objects.find((o) => o.kind === 'Job') as KubeObject).containers[0];
    expect(job?.env).toContainEqual({
      name: 'DATABASE_ADMIN_URL',
      valueFrom: { secretKeyRef: { name: 'pg-admin', key: 'url' } },
    });
    expect(() => validateManifests(objects)).not.toThrow();
  });
});
