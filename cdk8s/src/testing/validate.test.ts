import { describe, expect, it } from 'vitest';
import { validateManifest } from './validate.ts';

const deployment = (spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'x' },
  spec: {
    selector: { matchLabels: { a: 'b' } },
    template: { spec: { containers: [{ name: 'c', image: 'i' }] } },
    ...spec,
  },
});

describe('validateManifest', () => {
  it('accepts a minimal valid object', () => {
    expect(() => validateManifest(deployment({}))).not.toThrow();
  });
  it('rejects a wrong type', () => {
    expect(() => validateManifest(deployment({ replicas: 'two' }))).toThrow(/replicas must be integer/);
  });
  it('rejects an unknown field the schema alone would accept', () => {
    expect(() => validateManifest(deployment({ replica: 2 }))).toThrow(/unknown fields \.spec\.replica/);
  });
  it('rejects kinds it has no schema for instead of passing them silently', () => {
    expect(() => validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toThrow(
      /no schema registered/,
    );
  });
});
