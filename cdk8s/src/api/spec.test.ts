import { describe, expect, it } from 'vitest';
import { storefrontCrd } from './crd.ts';
import { StorefrontSpec } from './spec.ts';

const base = { image: 'ghcr.io/storefront/storefront', version: '1.0.0' };

describe('StorefrontSpec', () => {
  it('fills defaults that the CRD also declares', () => {
    const spec = StorefrontSpec.parse({ ...base, postgres: {}, nats: { managed: {} } });
    expect(spec.suspend).toBe(false);
    expect(spec.postgres?.mode).toBe('managed');
    expect(spec.nats?.managed).toMatchObject({ version: '2.12.1', replicas: 1, storage: '2Gi' });
  });

  it.each([
    ['min > max replicas', { services: { catalog: { autoscaling: { minReplicas: 5, maxReplicas: 2 } } } }],
    ['replicas and autoscaling together', { services: { cart: { replicas: 2, autoscaling: {} } } }],
    ['disabling a required service', { services: { gateway: { enabled: false } } }],
    ['external postgres without a secret', { postgres: { mode: 'external' } }],
    ['external settings with managed mode', { redis: { external: { secretRef: { name: 'r' } } } }],
    ['an even NATS cluster', { nats: { managed: { replicas: 2 } } }],
    ['NATS older than 2.12', { nats: { managed: { version: '2.10.4' } } }],
    ['stripe without a secret', { payments: { provider: 'stripe' } }],
    ['a quantity with a typo', { postgres: { managed: { storage: '5 GB' } } }],
    ['an over-long image', { image: `x${'y'.repeat(600)}` }],
    ['a non-DNS ingress host', { ingress: { host: 'Shop_Example.com' } }],
  ])('rejects %s', (_name, patch) => {
    const result = StorefrontSpec.safeParse({ ...base, ...patch });
    expect(result.success).toBe(false);
  });

  it('accepts a full production-like spec', () => {
    const result = StorefrontSpec.safeParse({
      ...base,
      services: { catalog: { autoscaling: { minReplicas: 2, maxReplicas: 6 } }, crm: { enabled: false } },
      postgres: { mode: 'external', external: { secretRef: { name: 'pg-admin' } } },
      nats: { managed: { replicas: 3, storage: '10Gi' } },
      payments: { provider: 'stripe', secretRef: { name: 'stripe' } },
      ingress: { host: 'shop.example.com', className: 'nginx', tlsSecretName: 'shop-tls' },
      observability: { otlpEndpoint: 'http://otel-collector.monitoring:4318', serviceMonitor: { enabled: true } },
    });
    expect(result.error?.issues).toBeUndefined();
  });
});

describe('storefrontCrd', () => {
  const crd = storefrontCrd();
  const version = (crd.spec as { versions: Record<string, unknown>[] }).versions[0] ?? {};
  const schema = (version.schema as { openAPIV3Schema: Record<string, unknown> }).openAPIV3Schema;
  const text = JSON.stringify(crd);

  it('is a structural schema: no additionalProperties:false, const, $ref or unbounded integers', () => {
    expect(text).not.toMatch(/"additionalProperties":false|"const"|"\$ref"|9007199254740991/);
  });

  it('uses only keywords a CRD schema (JSONSchemaProps) accepts', () => {
    const allowed = new Set(
      'type properties required items additionalProperties description default enum minimum maximum minLength maxLength pattern minItems maxItems format nullable'.split(
        ' ',
      ),
    );
    const unknown = new Set<string>();
    const visit = (node: unknown, parentKey: string) => {
      const data = parentKey === 'default' || parentKey === 'enum' || parentKey.startsWith('x-kubernetes-');
      if (!node || typeof node !== 'object' || data) return;
      if (Array.isArray(node)) {
        for (const item of node) visit(item, '');
        return;
      }
      for (const [key, value] of Object.entries(node)) {
        const isSchema = parentKey !== 'properties';
        if (isSchema && !allowed.has(key) && !key.startsWith('x-kubernetes-')) unknown.add(key);
        visit(value, isSchema ? key : '');
      }
    };
    visit(schema.properties, 'properties');
    expect([...unknown]).toEqual([]);
  });

  it('carries every CEL rule from the zod schema', () => {
    const rules = [...text.matchAll(/"rule":"([^"]+)"/g)].map((m) => m[1]);
    expect(rules).toEqual(
      expect.arrayContaining([
        'self.minReplicas <= self.maxReplicas',
        '!(has(self.replicas) && has(self.autoscaling))',
        'self.replicas % 2 == 1',
        "self.provider != 'stripe' || has(self.secretRef)",
        'size(self.metadata.name) <= 40',
      ]),
    );
  });

  it('bounds every string and list (CEL cost estimation needs it)', () => {
    const unbounded: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (o.type === 'string' && o.maxLength === undefined && o.enum === undefined) unbounded.push(path);
      if (o.type === 'array' && o.maxItems === undefined) unbounded.push(path);
      for (const [k, v] of Object.entries(o)) if (k !== 'default') visit(v, `${path}.${k}`);
    };
    visit((schema.properties as Record<string, unknown>).spec, 'spec');
    visit((schema.properties as Record<string, unknown>).status, 'status');
    expect(unbounded).toEqual([]);
  });

  it('makes status.conditions a list-map keyed by type, and has the status subresource', () => {
    const status = (schema.properties as Record<string, { properties: Record<string, Record<string, unknown>> }>)
      .status;
    expect(status?.properties.conditions).toMatchObject({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['type'],
    });
    expect(version.subresources).toEqual({ status: {} });
  });
});
