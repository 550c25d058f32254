import { describe, expect, it } from 'vitest';
import { hasTagOrDigest, releaseOf } from './release.ts';

describe('releaseOf', () => {
  it.each([
    ['ghcr.io/storefront/storefront', false],
    ['localhost:5000/storefront', false],
    ['localhost:5000/storefront:dev', true],
    ['storefront:abc123', true],
    ['storefront@sha256:0123', true],
  ])('hasTagOrDigest(%s) is %s', (image, expected) => {
    expect(hasTagOrDigest(image)).toBe(expected);
  });

  it('appends the version as the tag only when the image has none', () => {
    expect(releaseOf({ image: 'ghcr.io/x/sf', version: '1.2.0' }).image).toBe('ghcr.io/x/sf:1.2.0');
    expect(releaseOf({ image: 'sf:dev', version: '1.2.0' }).image).toBe('sf:dev');
  });

  it('changes the revision when either the version or the image changes, and only then', () => {
    const a = releaseOf({ image: 'sf', version: '1.0.0' }).revision;
    expect(releaseOf({ image: 'sf', version: '1.0.0' }).revision).toBe(a);
    expect(releaseOf({ image: 'sf', version: '1.1.0' }).revision).not.toBe(a);
    expect(releaseOf({ image: 'sf:1.0.0-rebuilt', version: '1.0.0' }).revision).not.toBe(a);
  });
});
