import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { StorefrontSpec } from './api/spec.ts';
import { buildStorefront } from './storefront-chart.ts';
import { sampleInput } from './test-fixtures.ts';
import { validateManifests } from './testing/validate.ts';

const root = resolve(import.meta.dirname, '../..');

describe('k8s-dev/storefront.yaml (what skaffold applies)', () => {
  const docs = parseAllDocuments(readFileSync(resolve(root, 'k8s-dev/storefront.yaml'), 'utf8')).map((d) => d.toJS());
  const storefront = docs.find((d) => d?.kind === 'Storefront');

  it('holds its namespace and a Storefront whose spec the API accepts', () => {
    expect(docs.map((d) => d.kind)).toEqual(['Namespace', 'Storefront']);
    expect(storefront.metadata.namespace).toBe(docs[0].metadata.name);
    expect(StorefrontSpec.safeParse(storefront.spec).error?.issues).toBeUndefined();
  });

  it('builds valid objects, with the gateway Service that skaffold port-forwards', () => {
    const objects = buildStorefront({
      ...sampleInput(storefront.spec),
      name: storefront.metadata.name,
      namespace: storefront.metadata.namespace,
    });
    expect(() => validateManifests(objects)).not.toThrow();
    const skaffold = readFileSync(resolve(root, 'skaffold.yaml'), 'utf8');
    for (const service of ['dev-gateway', 'dev-web']) {
      expect(objects.some((o) => o.kind === 'Service' && o.metadata.name === service)).toBe(true);
      expect(skaffold).toContain(`resourceName: ${service}`);
    }
  });
});
